import ArgumentParser
import Fairlead
import Foundation

/// `fairlead privacy`: the re-identification risk of a data file through its
/// quasi-identifiers (docs/privacy.md, "Re-identification risk").
struct PrivacyRiskCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "privacy",
        abstract: "The re-identification risk of a data file: k-anonymity, l-diversity, t-closeness, prosecutor, journalist and marketer risk.",
        discussion: """
            Rows with equal values of every --quasi column form an equivalence class \
            (values compared as read; a missing value is a value of its own). Reported: \
            k-anonymity (the smallest class), unique records, records in classes smaller \
            than --k (default 5), ARX's prosecutor, journalist (the sample taken as the \
            population) and marketer risks, and per --sensitive column its distinct and \
            entropy l-diversity and t-closeness (pycanon's definitions). Only sizes and \
            counts are shown, never a quasi-identifier value.

              fairlead privacy --data leads.csv --quasi age,zip3,gender --sensitive ethnicity

            Exit codes: 0 measured; 2 bad input or usage; 3 internal error.
            """
    )

    @Option(help: "The data file (CSV or .csv.gz; - for standard input).")
    var data: String

    @Option(help: ArgumentHelp("The quasi-identifier columns, comma-separated: what an attacker could know (age,zip3,gender).",
                               valueName: "columns"))
    var quasi: String

    @Option(help: ArgumentHelp("The sensitive columns, comma-separated; each gets its l-diversity and t-closeness.", valueName: "columns"))
    var sensitive: String?

    @Option(name: .customLong("k"), help: ArgumentHelp("Classes smaller than k put their records at risk (default 5).", valueName: "k"))
    var k: Int = ReidentificationReport.defaultK

    enum Format: String, ExpressibleByArgument, CaseIterable {
        case text, json, markdown, html
    }

    @Option(help: "Output format: text, json, markdown or html.")
    var format: Format = .text

    @Option(help: "Write the output to this file (atomically) instead of standard output.")
    var out: String?

    @OptionGroup var threads: ThreadsOption

    @OptionGroup var limits: LimitsOption<PrivacyRiskCommand>

    static func names(_ list: String?, flag: String) throws -> [String] {
        try list.map { try ColumnListOption.names($0, flag: flag) } ?? []
    }

    func validate() throws {
        guard !CommandLineValidation.skipped else { return }
        guard k >= 1 else { throw ValidationError("--k must be at least 1, found \(k)") }
        do {
            _ = try Self.names(quasi, flag: "--quasi")
            _ = try Self.names(sensitive, flag: "--sensitive")
        } catch let error as FairleadError {
            // ArgumentParser takes any other error out of validate() for an internal one.
            throw ValidationError(error.message)
        }
    }

    func run() throws {
        let quasiNames = try Self.names(quasi, flag: "--quasi")
        let sensitiveNames = try Self.names(sensitive, flag: "--sensitive")
        // Names first: no byte of the data is read for a usage mistake.
        try ReidentificationReport.validate(quasiIdentifiers: quasiNames, sensitive: sensitiveNames, k: k)
        let output = try OutputSink(path: out, inputs: [data])
        defer { output.abandon() }
        var options = CSVOptions()
        options.limits = limits.applied()
        options.threads = try threads.apply(limits: options.limits)
        let requests = ReidentificationReport.columnRequests(quasiIdentifiers: quasiNames, sensitive: sensitiveNames)
        let input: CSVInput = data == "-" ? .standardInput : .file(data)
        let table = try CSVReader.read(input, columns: { _ in requests }, options: options)
        let section = try ReidentificationReport.make(table: table, quasiIdentifiers: quasiNames, sensitive: sensitiveNames,
                                                      k: k, source: input.name)
        let text: String
        switch format {
        case .text: text = ReidentificationRendering.text(section, source: input.name)
        case .markdown: text = ReidentificationRendering.markdown(section, source: input.name)
        case .html: text = ReidentificationRendering.html(section, source: input.name)
        case .json: text = try ReidentificationRendering.json(section, source: input.name)
        }
        try output.write(text)
        try output.finish()
    }
}

extension PrivacyRiskCommand: LimitedCommand {
    static let limitsHit: Set<Limits.Name> = .csvReading.union([.maxThreads])
    static let limitsReads = "reads one CSV file"
}
