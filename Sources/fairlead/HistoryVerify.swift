import ArgumentParser
import Fairlead
import Foundation

/// `fairlead history verify`: the hash chain, every report and metric row.
struct HistoryVerify: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "verify",
        abstract: "Check the history for edited, deleted or reordered entries.",
        discussion: """
            Exits 0 when intact, 1 when tampering or damage was found (each problem names its \
            entry, the table that is missing, or a damaged file SQLite cannot read), 2 when \
            the file is not a Fairlead history or \
            --head is not a chain head. The file is opened read-only and never changed. \
            The chain head goes to standard error: keep it outside the history and pass it \
            with --head later, which also catches a history rewritten from scratch.
            """
    )

    enum Format: String, ExpressibleByArgument, CaseIterable {
        case text, json
    }

    @OptionGroup var history: HistoryFileOption

    @Option(help: "A chain head recorded earlier; it must still be in the chain.")
    var head: String?

    @Option(help: "Output format: text or json (with the head).")
    var format: Format = .text

    @OptionGroup var limits: LimitsOption<HistoryVerify>

    struct Output: Encodable {
        struct Problem: Encodable {
            var kind: String
            var entry: Int64?
            var message: String
        }
        var intact: Bool
        var entries: Int
        var head: String
        var problems: [Problem]
        struct Redacted: Encodable {
            var entry: Int64
            var redaction: Int64
            var redactedAt: String
            enum CodingKeys: String, CodingKey {
                case entry, redaction
                case redactedAt = "redacted_at"
            }
        }
        var redacted: [Redacted]
    }

    func run() throws {
        // Read-only: verifying evidence must not change it (nor need write access to it).
        // A file SQLite finds damaged is a finding (exit 1), not a file refused (exit 2).
        let verification = try HistoryStore.verify(path: history.path, expectingHead: head, limits: limits.applied())
        switch format {
        case .json:
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
            let output = Output(intact: verification.isIntact, entries: verification.entryCount, head: verification.head,
                                problems: verification.problems.map { .init(kind: $0.kind.rawValue, entry: $0.entry, message: $0.message) },
                                redacted: verification.redacted.map { .init(entry: $0.entry, redaction: $0.redaction, redactedAt: $0.redactedAt) })
            try OutputSink.print(String(decoding: JSONEscaping.escapingHidden(try encoder.encode(output)), as: UTF8.self) + "\n")
        case .text:
            let entries = "\(verification.entryCount) entr\(verification.entryCount == 1 ? "y" : "ies")"
            var lines: [String]
            if verification.isIntact {
                lines = ["INTACT  \(entries): every \(verification.redacted.isEmpty ? "" : "remaining ")report, metric row and link checks out"]
            } else {
                let count = verification.problems.count
                // A file too damaged to read has no entries to count: "1 problem in 0 entries" read as a history found empty.
                lines = ["TAMPERED  \(count) problem\(count == 1 ? "" : "s")\(verification.entryCount == 0 ? "" : " in \(entries)"):"]
                lines += verification.problems.map { "  \($0)" }
            }
            if !verification.redacted.isEmpty {
                let count = verification.redacted.count
                lines.append("REDACTED  \(count) entr\(count == 1 ? "y holds" : "ies hold") only metadata, hashes and metric rows (their reports were removed by `fairlead history redact`):")
                lines += verification.redacted.map { "  entry \($0.entry): redaction \($0.redaction) at \($0.redactedAt)" }
            }
            try OutputSink.printLines(lines)
            // A head is worth keeping only of a history that checks out: kept from a tampered
            // one, it would vouch for the tampering later.
            if !verification.head.isEmpty {
                // The head of an empty chain is the start of every chain: kept, it would
                // vouch for any history later.
                writeToStandardError(!verification.isIntact
                                     ? "fairlead: chain head \(verification.head), of a history that does not check out: do not keep it as a reference"
                                     : verification.head == HistoryEntry.genesisHash
                                     ? "fairlead: chain head \(verification.head), of an empty history; keep the head once an entry is appended"
                                     : "fairlead: chain head \(verification.head); keep it outside the history and check it later with --head")
            }
        }
        if !verification.isIntact { throw ExitCode(1) }
    }
}

extension HistoryVerify: LimitedCommand {
    static let limitsHit: Set<Limits.Name> = [.memoryBudgetBytes]
    static let limitsReads = "reads the history's reports, each decoded whole"
    var readsProfile: Bool { false }
}
