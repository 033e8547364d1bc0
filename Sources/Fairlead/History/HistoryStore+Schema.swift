import FairleadCore
import Foundation
import GRDB

/// The history's schema as its migrations build it, and the damage `verify` and every
/// writer look for before trusting a file to it.
///
/// `grdb_migrations` is the record GRDB migrates by: a migration it lists is never run
/// again, one it lacks is run on the next open for writing. So the record must agree with
/// the tables: a migration listed whose tables are gone is a dropped table, and a
/// migration not listed whose tables are there (a row of `grdb_migrations` deleted) would
/// be run again over them, failing on `CREATE TABLE` or `ADD COLUMN`.
extension HistoryStore {
    /// The migration that creates `entry`, `metric` and `chain_head`.
    static let firstMigration = "v1"
    /// The migration that adds `entry.reruns` (`fairlead audit --rerun`).
    static let rerunsMigration = "v2"

    /// A table a migration creates, or columns it adds to a table an earlier one created.
    struct SchemaPart: Sendable {
        var migration: String
        var table: String
        var columns: [String]
        /// Whether the migration creates the table (else it adds `columns` to it).
        var createsTable: Bool
    }

    /// What each migration of ``migrator`` adds, in migration order.
    static let schemaParts: [SchemaPart] = [
        SchemaPart(migration: firstMigration, table: "entry",
                   columns: ["id", "recorded_at", "as_of", "profile", "status", "drift_status", "completes",
                             "report_json", "report_sha256", "previous_hash", "entry_hash"], createsTable: true),
        SchemaPart(migration: firstMigration, table: "metric",
                   columns: ["entry_id", "profile", "decision", "attribute", "group_name", "metric", "value", "lower", "upper", "time"],
                   createsTable: true),
        SchemaPart(migration: firstMigration, table: "chain_head", columns: ["singleton", "sequence", "entry_hash"], createsTable: true),
        SchemaPart(migration: rerunsMigration, table: "entry", columns: ["reruns"], createsTable: false),
        SchemaPart(migration: privacyLedgerMigration, table: "privacy_ledger", columns: privacyLedgerColumns, createsTable: true),
        SchemaPart(migration: redactionMigration, table: "redaction", columns: redactionColumns, createsTable: true),
        SchemaPart(migration: redactionMigration, table: "redacted_entry", columns: redactedEntryColumns, createsTable: true),
    ]

    /// The tables every history holds and the columns each must have: every part of
    /// ``schemaParts``, and GRDB's record of the migrations.
    static let schema: [(table: String, columns: [String])] = schema(of: Set(migrator.migrations))

    /// The tables and columns that the migrations `migrations` create, in migration order,
    /// with `grdb_migrations`: what a history that records exactly those must hold.
    static func schema(of migrations: Set<String>) -> [(table: String, columns: [String])] {
        var tables: [(table: String, columns: [String])] = []
        for part in schemaParts where migrations.contains(part.migration) {
            if let index = tables.firstIndex(where: { $0.table == part.table }) {
                tables[index].columns += part.columns
            } else {
                tables.append((part.table, part.columns))
            }
        }
        return tables + [("grdb_migrations", ["identifier"])]
    }

    /// The migrations whose tables and columns the file must hold: those `grdb_migrations`
    /// records, and the first, whose tables every history has. A history written before a
    /// later migration existed lacks its tables and columns (one from before re-runs has no
    /// `entry.reruns`): it is read as it is, and migrated when opened for writing.
    ///
    /// A record that lists a migration this Fairlead does not know (a newer Fairlead's) is
    /// refused before it is read (``openForReading(path:)``, and every writer).
    static func expectedMigrations(_ db: Database) throws -> Set<String> {
        guard try db.tableExists("grdb_migrations"), try db.columns(in: "grdb_migrations").contains(where: { $0.name == "identifier" }) else {
            return [firstMigration]
        }
        return Set(try String.fetchAll(db, sql: "SELECT identifier FROM grdb_migrations")).union([firstMigration])
    }

    /// The columns of ``HistoryEntry`` that readers select from `entry`, in ``entry(_:)``'s
    /// terms: a column that the migrations the file records did not add is selected as
    /// NULL (`NULL AS reruns` in a history from before re-runs), so that an older history
    /// is read without a byte of it changed. A column that its migration added and that is
    /// gone still fails the read, as damage (`no such column: reruns`).
    static func entryColumns(_ db: Database) throws -> String {
        let present = try entryColumnsPresent(db)
        return entryColumnNames.map { present.contains($0) ? $0 : "NULL AS \($0)" }.joined(separator: ", ")
    }

    /// The columns of `entry` that the history's migrations made (`reruns` is not in a
    /// history from before re-runs).
    static func entryColumnsPresent(_ db: Database) throws -> Set<String> {
        Set(schema(of: try expectedMigrations(db)).first { $0.table == "entry" }?.columns ?? [])
    }

    /// Each table or column that the migrations `grdb_migrations` records should have made
    /// and the file lacks, and a record of migrations that disagrees with the tables
    /// (``migrationRecordDamage(_:)``), in words: damage, since the history never drops a
    /// table nor forgets a migration. With no record to go by (`grdb_migrations` dropped or
    /// emptied), the first migration's tables are expected and the record is named.
    static func schemaDamage(_ db: Database) throws -> [String] {
        var damage: [String] = []
        for (table, columns) in schema(of: try expectedMigrations(db)) {
            guard try db.tableExists(table) else {
                damage.append("the table \(table) is missing (dropped)")
                continue
            }
            let present = Set(try db.columns(in: table).map(\.name))
            let missing = columns.filter { !present.contains($0) }
            if !missing.isEmpty {
                damage.append("the table \(table) lacks the column\(missing.count == 1 ? "" : "s") \(missing.joined(separator: ", "))")
            }
        }
        if let record = try migrationRecordDamage(db) { damage.append(record) }
        return damage
    }

    /// Why a writer must not open the history `db` is (at `path`), for its schema, or
    /// `nil`: a migration this Fairlead does not know (a newer Fairlead wrote the file), or
    /// the damage ``schemaDamage(_:)`` names. Judged on a read-only look, before opening
    /// for writing changes a byte of it (``refusalBeforeWriting(path:create:)``).
    static func schemaRefusal(_ db: Database, path: String) throws -> FairleadError? {
        if let unknown = try newerMigration(db) { return newerFairlead(unknown, path: path) }
        return try schemaDamage(db).first.map { FairleadError(.invalidData, damagedMessage($0), at: SourceLocation(file: path)) }
    }

    /// The first migration `grdb_migrations` records that this Fairlead does not know, or `nil`.
    static func newerMigration(_ db: Database) throws -> String? {
        guard try db.tableExists("grdb_migrations") else { return nil }
        return Set(try migrator.appliedIdentifiers(db)).subtracting(migrator.migrations).sorted().first
    }

    /// A history a newer Fairlead wrote (its record lists `migration`, which this one does
    /// not know): refused by readers and writers alike, not misread.
    static func newerFairlead(_ migration: String, path: String) -> FairleadError {
        FairleadError(.invalidData, "the history was written by a newer Fairlead (schema \(MessageQuote.clipped(migration))); upgrade Fairlead to read it",
                      at: SourceLocation(file: path))
    }

    /// How `grdb_migrations` disagrees with the tables, or `nil` when it lists the
    /// migrations whose tables and columns are there, in order. Writers refuse such a file
    /// (migrating it again would fail on what is there); `verify` reports it.
    ///
    /// Only the record is judged here: a table that is missing although its migration is
    /// listed is ``schemaDamage(_:)``'s to name, and a missing `grdb_migrations` too.
    static func migrationRecordDamage(_ db: Database) throws -> String? {
        guard try db.tableExists("grdb_migrations") else { return nil }
        let applied = Set(try String.fetchAll(db, sql: "SELECT identifier FROM grdb_migrations"))
        let migrations = migrator.migrations
        var unrecorded: [String] = [], tables: [String] = [], columns: [String] = []
        for migration in migrations where !applied.contains(migration) {
            var found = false
            for part in schemaParts where part.migration == migration {
                guard try db.tableExists(part.table) else { continue }
                if part.createsTable {
                    tables.append(part.table)
                    found = true
                } else {
                    let present = Set(try db.columns(in: part.table).map(\.name))
                    let added = part.columns.filter { present.contains($0) }.map { "\(part.table).\($0)" }
                    columns += added
                    found = found || !added.isEmpty
                }
            }
            if found { unrecorded.append(migration) }
        }
        if !unrecorded.isEmpty {
            if applied.isEmpty {
                return "the migrations are not as recorded: grdb_migrations lists none, yet the history's tables are there (its rows were deleted)"
            }
            let there = [tables.isEmpty ? nil : "the table\(tables.count == 1 ? "" : "s") \(list(tables))",
                         columns.isEmpty ? nil : "the column\(columns.count == 1 ? "" : "s") \(list(columns))"].compactMap { $0 }
            let plural = tables.count + columns.count > 1
            return "the migrations are not as recorded: grdb_migrations lacks \(list(unrecorded)), yet \(there.joined(separator: " and ")) \(plural ? "are" : "is") there (\(unrecorded.count == 1 ? "its row was" : "their rows were") deleted)"
        }
        // GRDB migrates in order: a later migration listed without an earlier one is no
        // file it wrote.
        if let gap = migrations.firstIndex(where: { !applied.contains($0) }),
           let later = migrations[(gap + 1)...].first(where: { applied.contains($0) }) {
            return "the migrations are not as recorded: grdb_migrations lists \(later) but not \(migrations[gap]), which comes before it"
        }
        return nil
    }

    /// `a`, `a and b`, `a, b and c`.
    private static func list(_ items: [String]) -> String { ListWording.and(items) }
}
