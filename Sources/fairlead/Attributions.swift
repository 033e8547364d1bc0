import ArgumentParser
import Fairlead
import Foundation

struct AttributionsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "attributions",
        abstract: "Write per-row feature attributions (SHAP values of the margin) of a model on a data file.",
        discussion: """
            One output row per input row: the id, the base value, one column per feature \
            (or per source column with --group-features, summing one-hot columns named \
            column_value, column=value, column:value or column.value after a column of the \
            data, or with = or : after any name; a feature that is a column of its own joins \
            such a column only when its values are that column's 0/1 indicator), and the \
            margin (= base value + the attributions).
            Methods: tree (path-dependent TreeSHAP, the default for XGBoost/LightGBM), \
            tree-interventional (needs --background), linear (the default for linear models; \
            against --background, or the data itself), kernel (any model; needs --background).
            """
    )

    @Option(help: "The model file: XGBoost JSON, LightGBM model.txt, Fairlead linear JSON or ONNX (.onnx).")
    var model: String

    @Option(help: "The CSV file of rows to explain; the model's features are found by column name.")
    var data: String

    @Option(help: "tree | tree-interventional | linear | kernel (default: by model type).")
    var method: String?

    @Option(help: "A CSV file of background rows for tree-interventional, linear and kernel.")
    var background: String?

    @Option(help: "The column that identifies rows (default: lead_id if present, else the row number).")
    var idColumn: String?

    @Flag(help: "Sum attributions of features derived from one source column (column_value, column=value, column:value, column.value).")
    var groupFeatures = false

    @Option(name: .customLong("baseline-level"), help: ArgumentHelp(BaselineLevelOption.help, valueName: "column=level"))
    var baselineLevels: [String] = []

    @Option(help: "KernelSHAP: coalitions per row.")
    var samples: Int = 2048

    @Option(help: "KernelSHAP: the sampling seed.")
    var seed: UInt64 = 0

    @OptionGroup var threadsOption: ThreadsOption

    @OptionGroup var limitsOption: LimitsOption<AttributionsCommand>

    @Option(help: "csv | json")
    var format: String = "csv"

    @Option(help: "The output file.")
    var out: String

    func validate() throws {
        guard !CommandLineValidation.skipped else { return }
        if let method, AttributionMethod(rawValue: method) == nil {
            throw ValidationError("--method must be one of \(AttributionMethod.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        guard ["csv", "json"].contains(format) else { throw ValidationError("--format must be csv or json") }
        guard samples >= 2 else { throw ValidationError("--samples must be at least 2") }
    }

    func run() throws {
        let limits = limitsOption.applied()
        let threads = try threadsOption.apply(limits: limits)
        let output = try OutputSink(path: out, inputs: [model, data, background])
        defer { output.abandon() }
        let loaded = try ModelLoader.load(contentsOf: model, limits: limits)
        let chosen = method.flatMap(AttributionMethod.init(rawValue:)) ?? AttributionMethod.defaultMethod(for: loaded)
        if chosen == .kernel {
            try limits.checkMemory(KernelSHAP.workingMemory(sampleCount: samples, features: loaded.featureNames.count, threads: threads),
                                   for: "KernelSHAP with \(samples) samples per row over \(loaded.featureNames.count) features")
        }
        let backgroundRows = try background.map { try ModelInput(csvAt: $0, model: loaded, threads: threads, limits: limits).features }
        if chosen == .kernel, let backgroundRows {
            // The background's rows size the synthetic batch the model evaluates: planned
            // before the rows to explain are read and the explainer is built.
            try KernelSHAP.checkWorkingMemory(model: loaded, sampleCount: samples, backgroundRows: backgroundRows.rows,
                                              threads: threads, limits: limits)
        }
        let input = try ModelInput(csvAt: data, model: loaded, idColumn: try idColumnName(in: data, limits: limits), threads: threads, limits: limits,
                                   baselineLevels: try BaselineLevelOption.levels(baselineLevels))
        let explainer: any Explainer
        do {
            explainer = try chosen.explainer(for: loaded, background: backgroundRows, explained: input.features,
                                             sampleCount: samples, seed: seed)
        } catch let error as FairleadError {
            throw ExplainerFailure.located(error, modelPath: model, backgroundPath: background, dataPath: data, limits: limits)
        }
        var attributions = try explainer.explain(input.features, threads: threads)
        if groupFeatures {
            // As `explain` groups them: a column that is a feature and is named as another
            // column's indicator (`email_opens` beside `email`) is grouped as its values say.
            var options = CSVOptions()
            options.limits = limits
            let header = try CSVReader.headerNames(path: data, options: options)
            let byName = try FeatureSources(featureNames: loaded.featureNames, header: header, file: data)
            let decided = try FeatureSources.decisions(for: byName.ambiguousFeatures, path: data, header: header, options: options,
                                                       rows: LeadReader.evidenceRows)
            attributions = attributions.grouped(by: try byName.deciding(decided).groups)
        }
        try attributions.requireFinite { row, feature in
            var options = CSVOptions()
            options.limits = limits
            let column = try? CSVReader.headerNames(path: data, options: options).first { $0 == feature }
            return CSVReader.locateRecord(row, column: column ?? nil, path: data, options: options)
                .map { SourceLocation(file: $0.file, line: $0.line, column: $0.column, field: $0.field ?? feature) }
        }
        let table = AttributionTable(method: chosen, ids: input.ids, attributions: attributions)
        try output.write(format == "json" ? table.json(unseen: input.unseenLevels) : table.csv())
        try output.finish()
        // The attributions are the model's, of the rows as it read them; a value it has no
        // feature for was read as none of its levels, and whoever reads them is told.
        for warning in input.unseenLevels.warnings() {
            writeToStandardError("fairlead: warning: \(data): \(warning)")
        }
    }

    /// --id-column, or `lead_id` when the header has it.
    private func idColumnName(in path: String, limits: Limits) throws -> String? {
        if let idColumn { return idColumn }
        var options = CSVOptions()
        options.limits = limits
        return try CSVReader.headerNames(path: path, options: options).contains("lead_id") ? "lead_id" : nil
    }
}

extension AttributionsCommand: LimitedCommand {
    /// The model (read whole), the rows (CSV) and KernelSHAP's planned memory; no
    /// profile, so no score grid, no groups and no database.
    static let limitsHit: Set<Limits.Name> = .csvReading.union([.maxThreads, .maxFileBytes, .maxTreeDepth, .memoryBudgetBytes])
    static let limitsReads = "reads a model and rows from CSV files but no profile, groups no rows and reads no database"
    var readsProfile: Bool { false }
}
