import ArgumentParser
import Fairlead
import Foundation

struct Init: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Sniff a CSV file and write a commented starter profile.",
        discussion: """
            Guesses the id, score and label columns and the likely sensitive columns from \
            their names and values, and writes a profile that validates and runs as it is: \
            the best score column (the other candidates named in a comment), the label and \
            its positive value, numeric sensitive columns such as age cut into bins, the \
            score's range, a threshold that selects about 20% of the rows, and rules to judge:

              fairlead init --data leads.csv --out leads-audit.yaml
              fairlead validate leads-audit.yaml
              fairlead audit --profile leads-audit.yaml

            When no score or sensitive column is recognised, the profile holds a placeholder \
            to replace (SCORE_COLUMN, SENSITIVE_COLUMN) and a message says so.

            """
    )

    @Option(help: "The data file to sniff (CSV or .csv.gz).")
    var data: String

    @Option(help: "Write the profile here (standard output when omitted).")
    var out: String?

    @Option(help: "The profile's name (default: the data file's name).")
    var name: String?

    @Flag(help: "Overwrite --out if it exists.")
    var force = false

    @OptionGroup var threads: ThreadsOption

    @OptionGroup var limits: LimitsOption<Init>

    func run() throws {
        if let out, !force, FileManager.default.fileExists(atPath: out) {
            throw FairleadError(.usage, "\(out) exists; pass --force to overwrite it")
        }
        let output = try OutputSink(path: out, inputs: [data])
        defer { output.abandon() }
        let limits = limits.applied()
        let draft = try ProfileSniffer().draft(dataPath: data, threads: threads.apply(limits: limits), limits: limits)
        let base = ((data as NSString).lastPathComponent as NSString).deletingPathExtension
        let profileName = name ?? base.replacingOccurrences(of: ".csv", with: "") + "-audit"
        let relative = out.map { AuditProfile.relativePath(of: data, fromFolder: ($0 as NSString).deletingLastPathComponent) } ?? data
        let yaml = draft.yaml(name: profileName, relativeDataPath: relative)
        try output.write(yaml)
        try output.finish()
        if let out {
            // Column names from the data, each on the one line (and cut as tables cut labels).
            let named = { (name: String) in TextTable.label(name) }
            writeToStandardError("fairlead: wrote \(out): score \(draft.score.map(named) ?? "not found"), label \(draft.label.map(named) ?? "none"), "
                                 + "sensitive \(draft.sensitive.isEmpty ? "none found" : draft.sensitiveAttributeNames(shown: named).joined(separator: ", "))")
        }
        let target = out ?? "the profile"
        if let hint = CSVHeaderRecognition.delimiterWarning(header: draft.columns.map(\.name)) {
            writeToStandardError("fairlead: warning: \(TerminalEscaping.visible(data)): \(hint)")
        }
        if draft.score == nil {
            writeToStandardError("fairlead: no score column recognised in \(data): replace \(ProfileSniffer.Draft.scorePlaceholder) "
                                 + "in \(target) with the column holding the model's scores")
        }
        if draft.sensitive.isEmpty {
            writeToStandardError("fairlead: no sensitive column recognised in \(data): replace "
                                 + "\(ProfileSniffer.Draft.sensitivePlaceholder) in \(target) with at least one")
        }
    }
}

extension Init: LimitedCommand {
    static let limitsHit: Set<Limits.Name> = .csvReading.union([.maxThreads])
    static let limitsReads = "reads one CSV file"
}
