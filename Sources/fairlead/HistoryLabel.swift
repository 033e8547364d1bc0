import ArgumentParser
import Fairlead
import Foundation

/// `fairlead history label`: complete a past audit with labels that arrived later.
struct HistoryLabel: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "label",
        abstract: "Complete a past audit with labels that arrived later, and append it as a new entry.",
        discussion: """
            Re-reads the entry's profile and data (their SHA-256 must match the report's; \
            an ad hoc entry's profile is rebuilt from its report), \
            joins the labels on the profile's id column, re-runs the audit with the same \
            settings, and appends the completed report, linked to the original. Prints the \
            report like `fairlead audit`; exit codes as for `fairlead audit`. Completing an \
            entry again with the same labels file appends nothing unless --rerun is given; an \
            entry that had labels, or is itself a completion, is refused.
            """
    )

    @OptionGroup var history: HistoryFileOption

    @Option(parsing: .unconditional, help: "The entry to complete (entries are numbered from 1).", transform: EntryNumber.parse)
    var entry: Int64

    @Option(help: "The labels file (CSV).")
    var labels: String

    @Option(help: "The labels file's id column (joined to the profile's data.id; for an ad hoc entry, to the data's column of this name).")
    var id: String

    @Option(help: "The labels file's 0/1 label column.")
    var label: String

    @Option(help: "The profile, if it moved since the audit (its SHA-256 must match); an ad hoc entry needs none.")
    var profile: String?

    @Option(help: "The data file, if it moved since the audit (its SHA-256 must match).")
    var data: String?

    @Option(help: "Output format: text, json, markdown or html.")
    var format: AuditCommand.Format = .text

    @Option(help: "Write the output to this file (atomically) instead of standard output.")
    var out: String?

    @Flag(help: "With the text format: list every finding with its reason after the summary (json and markdown hold them all).")
    var verbose = false

    @Flag(help: "Append the completion even when an entry already completes this entry (or another run of its audit) with the same labels; the new entry is marked as its re-run.")
    var rerun = false

    @OptionGroup var threads: ThreadsOption

    @OptionGroup var limits: LimitsOption<HistoryLabel>

    @OptionGroup var profileReading: ProfileReadingOptions

    func run() throws {
        // The entry's report names the profile, so its limits are not known yet: the
        // history's reports are read within the flags over the defaults.
        let store = try HistoryStore(path: history.path, create: false, limits: limits.applied())
        // The entry's own profile and data, when not given, are inputs too. (When they
        // cannot be known, completing the entry below says why.)
        let inputs = try? Audit.completionInputs(entry: entry, in: store, profilePath: profile, dataPath: data)
        if let inputs { try Self.checkRecordedFilesExist(inputs, entry: entry) }
        let output = try OutputSink(path: out, inputs: [labels, profile, data] + (inputs?.paths ?? []),
                                  history: history.path)
        defer { output.abandon() }
        let report = try Audit.completing(entry: entry, in: store, labels: LateLabels(path: labels, idColumn: id, labelColumn: label),
                                          profilePath: profile, dataPath: data, threads: { try threads.apply(limits: $0) },
                                          reading: limits.over(profileReading.reading), limits: { limits.applied(to: $0) })
        // Written before it is recorded, as `audit --history` does: a failed output appends nothing.
        try ReportOutput.write(report, format: format, verbose: verbose, to: output)
        let earlier = try store.earlierCompletion(like: report)
        if let earlier, !rerun {
            let completed = earlier.entry.completes ?? entry
            // The same file, or other bytes that give every lead the same label.
            let labels = earlier.sameFile
                ? "with these labels (SHA-256 \(report.lateLabels?.sha256.prefix(12) ?? "")…, joined on the same columns)"
                : "with the same labels from other bytes (each lead gets the same label: joined SHA-256 \(report.lateLabels?.joinedSha256?.prefix(12) ?? "")…)"
            writeToStandardError("fairlead: entry \(earlier.entry.id) of \(store.path) already completes entry \(completed)"
                                 + (completed == entry ? "" : " (a run of the same audit as entry \(entry))") + " \(labels); appended nothing "
                                 + "(pass --rerun to append a re-run)")
        } else {
            // Appended and said together, as `audit --history` does.
            try ProcessSignals.deferringSignals {
                let appended = try store.appendCompletion(report, reruns: earlier?.entry.id)
                writeToStandardError("fairlead: appended entry \(appended.id) to \(store.path), completing entry \(entry)"
                                     + (earlier.map { ", a re-run of entry \($0.entry.id)" } ?? ""))
            }
        }
        try ReportOutput.exitForVerdicts(of: report)
    }

    /// Refuses a profile or data path read from the entry's report that does not exist,
    /// saying where it was looked for and which option gives the file: the report records
    /// the path as the audit was given it, so a relative one is read here relative to the
    /// current directory, which need not be the one the audit ran in.
    static func checkRecordedFilesExist(_ inputs: Audit.CompletionInputs, entry: Int64) throws {
        let recorded = [(inputs.recordedProfile, "the profile", "--profile"), (inputs.recordedData, "the data file", "--data")]
        for case let (path?, what, option) in recorded where path != "-" && !FileManager.default.fileExists(atPath: path) {
            let resolved = path.hasPrefix("/")
                ? ""
                : ", resolved relative to the current directory (\(FileManager.default.currentDirectoryPath))"
            throw FairleadError(.invalidData,
                                "\(what) does not exist; it is the path entry \(entry)'s report recorded\(resolved); if the file moved or the audit ran in another directory, pass \(option) PATH with \(what) that was audited (its SHA-256 must match the report's)",
                                at: SourceLocation(file: path))
        }
    }
}

extension HistoryLabel: LimitedCommand {
    static let limitsHit: Set<Limits.Name> = .allLimits.subtracting([.maxQuerySeconds])
    static let limitsReads = "reads the entry's data from a file, never from a database"
}
