import Foundation

/// The bounds Fairlead keeps on what untrusted inputs and flags may cost: bytes inflated
/// from gzip, the bytes of one CSV field, threads, the working memory of explainers, the
/// bytes of a file read whole (a model), the seconds a database query may run, the groups
/// of a grouping, the columns of a CSV header and the depth of a model's trees.
///
/// Every reader and explainer that can be made to use unbounded memory or time checks one
/// of these, and a limit hit throws a ``FairleadError`` whose ``FairleadError/limit`` names
/// it, so that whoever reports the error can say how to raise it (the CLI names the flag
/// and the profile key; the core never does):
///
///     var limits = Limits()
///     limits.maxFieldBytes = 8 << 20                // fields of up to 8 MiB
///     var options = CSVOptions()
///     options.limits = limits
///
/// The defaults fit real lead data with a wide margin: a CRM export has no 1 MiB field,
/// and gzip compresses CSV 3 to 30 times, not 1000 times.
public struct Limits: Sendable, Equatable {
    /// One limit: its name in profiles (`limits.max_field_bytes`) and messages.
    public enum Name: String, Sendable, CaseIterable {
        case maxDecompressedBytes = "max_decompressed_bytes"
        case maxCompressionRatio = "max_compression_ratio"
        case maxFieldBytes = "max_field_bytes"
        case maxThreads = "max_threads"
        case memoryBudgetBytes = "memory_budget_bytes"
        case maxFileBytes = "max_file_bytes"
        case maxGridBins = "max_grid_bins"
        case maxQuerySeconds = "max_query_seconds"
        case maxGroups = "max_groups"
        case maxColumns = "max_columns"
        case maxTreeDepth = "max_tree_depth"
    }

    /// Bytes a `.csv.gz` input may inflate to. Default 16 GiB.
    public var maxDecompressedBytes: Int = 16 << 30
    /// How many times larger than its compressed bytes a gzip input may inflate, checked
    /// once ``compressionRatioGrace`` bytes are out (small files may compress very well).
    /// Default 200: CSV compresses 3–30×; a gzip bomb 1000×.
    public var maxCompressionRatio: Int = 200
    /// Bytes of one CSV field (after nothing: quotes and all, as stored). Default 1 MiB.
    public var maxFieldBytes: Int = 1 << 20
    /// Threads a command may run; `nil` is ``threadsPerCore`` × the cores.
    public var maxThreads: Int?
    /// Working memory an explainer may plan for (KernelSHAP's coalitions across threads),
    /// and the statistics parts of an audit from statistics. Default 2 GiB.
    public var memoryBudgetBytes: Int = 2 << 30
    /// Bytes of a file that is read whole before it is parsed: a model file, a saved report
    /// given as a drift baseline. Default 1 GiB (a 2,000-tree XGBoost JSON model is a few
    /// hundred MB). CSV data is streamed and never held whole, so this does not bound it.
    public var maxFileBytes: Int = 1 << 30
    /// Cells of the score grid that statistics parts and the pushdown query histogram the
    /// scores on (`statistics.score_grid.bins`). Default 100,000: a part holds up to
    /// cells × groups × 8 numbers.
    public var maxGridBins: Int = 100_000
    /// Seconds one statement may run in a database the rows are read from (`data.postgres`:
    /// the session's `statement_timeout`). Default 3,600: an hour. A streamed query's
    /// statement lasts until its last row is read, so the time bounds the whole read.
    public var maxQuerySeconds: Int = 3_600
    /// Groups of one grouping: an attribute's values (with `unknown`), or an intersection's
    /// combinations of them. Default 10,000: every group gets a row of every table and
    /// every metric of the report, and an attribute with more values than that is more
    /// likely an identifier than a group. Raisable up to ``Grouping/maximumGroupCount``.
    public var maxGroups: Int = 10_000
    /// Columns of a CSV file's header, checked as the header is read, before any record:
    /// every column the reader holds costs it memory in each block, and a command that
    /// reads every column (`inspect`, `init`) keeps a column of the table for each.
    /// Default 10,000: a CRM's widest export (a Salesforce object holds at most 800
    /// fields) with a wide margin. Raisable up to ``CSVReader/maximumColumnCount``.
    public var maxColumns: Int = 10_000
    /// Levels of one tree of a model (XGBoost, LightGBM, ONNX), checked as each tree is
    /// loaded. Default 256: boosted trees are a few to a few dozen levels deep, and a
    /// deeper one is more likely corrupt; path-dependent TreeSHAP's buffers grow with
    /// the square of the depth. Raisable up to ``TreeEnsemble/maximumTreeDepth``.
    public var maxTreeDepth: Int = 256

    /// Inflated bytes read before the compression ratio is checked: 8 MiB, so that a
    /// small file that compresses very well (a column of zeros) is never stopped.
    public static let compressionRatioGrace = 8 << 20
    /// The default thread limit per core: more threads than this only add memory.
    public static let threadsPerCore = 4

    /// The default limits.
    public init() {}

    /// ``maxThreads``, or its default for this machine.
    public var effectiveMaxThreads: Int {
        maxThreads ?? Self.threadsPerCore * max(1, ProcessInfo.processInfo.activeProcessorCount)
    }

    /// The value of `name`.
    public subscript(name: Name) -> Int {
        get {
            switch name {
            case .maxDecompressedBytes: return maxDecompressedBytes
            case .maxCompressionRatio: return maxCompressionRatio
            case .maxFieldBytes: return maxFieldBytes
            case .maxThreads: return effectiveMaxThreads
            case .memoryBudgetBytes: return memoryBudgetBytes
            case .maxFileBytes: return maxFileBytes
            case .maxGridBins: return maxGridBins
            case .maxQuerySeconds: return maxQuerySeconds
            case .maxGroups: return maxGroups
            case .maxColumns: return maxColumns
            case .maxTreeDepth: return maxTreeDepth
            }
        }
        set {
            switch name {
            case .maxDecompressedBytes: maxDecompressedBytes = newValue
            case .maxCompressionRatio: maxCompressionRatio = newValue
            case .maxFieldBytes: maxFieldBytes = newValue
            case .maxThreads: maxThreads = newValue
            case .memoryBudgetBytes: memoryBudgetBytes = newValue
            case .maxFileBytes: maxFileBytes = newValue
            case .maxGridBins: maxGridBins = newValue
            case .maxQuerySeconds: maxQuerySeconds = newValue
            case .maxGroups: maxGroups = newValue
            case .maxColumns: maxColumns = newValue
            case .maxTreeDepth: maxTreeDepth = newValue
            }
        }
    }

    /// `requested` threads, or an error naming ``Name/maxThreads`` when above it.
    public func checkThreads(_ requested: Int) throws -> Int {
        let limit = effectiveMaxThreads
        guard requested <= limit else {
            throw FairleadError(.usage, "\(requested) threads is above the limit of \(limit)"
                                + (maxThreads == nil ? " (\(Self.threadsPerCore) per core)" : ""),
                                limit: .maxThreads)
        }
        return requested
    }

    /// Checks that `bytes` of working memory fit ``memoryBudgetBytes``; `what` says what
    /// needs them ("KernelSHAP with 2000000000 samples").
    public func checkMemory(_ bytes: Double, for what: String) throws {
        guard bytes <= Double(memoryBudgetBytes) else {
            throw FairleadError(.usage, "\(what) needs about \(Self.byteCount(bytes)) of working memory, above the limit of "
                                + Self.byteCount(Double(memoryBudgetBytes)), limit: .memoryBudgetBytes)
        }
    }

    /// A model reader's plan up to this many bytes is never refused, as a small gzip file is
    /// never stopped for its ratio: the leads model (108 KB as LightGBM text, planned at
    /// 1.1 MiB) is noise beside the process, and a budget lowered to bound an explainer
    /// (`--memory-budget-bytes 384`) would refuse it.
    static let modelPlanGraceBytes = 8 << 20

    /// Whether a model reader's plan of `bytes` is refused: above ``memoryBudgetBytes`` and
    /// above ``modelPlanGraceBytes`` (``LightGBMMemoryPlan``, ``XGBoostMemoryPlan``).
    func refusesModelPlan(_ bytes: Double) -> Bool {
        bytes > Double(memoryBudgetBytes) && bytes > Double(Self.modelPlanGraceBytes)
    }

    /// A byte count for messages: `16 GiB`, `1 MiB`, `512 bytes`, `1 byte`.
    public static func byteCount(_ bytes: Double) -> String {
        let units = ["bytes", "KiB", "MiB", "GiB", "TiB", "PiB"]
        var value = bytes
        var unit = 0
        while value >= 1024, unit < units.count - 1 {
            value /= 1024
            unit += 1
        }
        if unit == 0 { return Int(value) == 1 ? "1 byte" : "\(Int(value)) bytes" }
        let rounded = (value * 10).rounded() / 10
        return rounded == rounded.rounded() ? "\(Int(rounded)) \(units[unit])" : "\(rounded) \(units[unit])"
    }
}

extension Limits {
    /// Reads a value of `name` as written in a profile or on the command line: a positive
    /// count, or for byte sizes a count with an optional binary suffix (`K`, `M`, `G`,
    /// `T`, with or without `iB`/`B`, any case): `1048576`, `64MiB`, `8G`. `nil` when it
    /// is not one.
    public static func parse(_ text: String, as name: Name) -> Int? {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        let digits = trimmed.prefix { $0.isASCII && $0.isNumber }
        guard !digits.isEmpty, let count = Int(digits), count > 0 else { return nil }
        var suffix = trimmed.dropFirst(digits.count).trimmingCharacters(in: .whitespaces).lowercased()
        guard name.isByteSize || suffix.isEmpty else { return nil }
        if suffix.count == 3, suffix.hasSuffix("ib") {
            suffix.removeLast(2)
        } else if suffix.hasSuffix("b") {
            suffix.removeLast()
        }
        let shifts: [String: Int] = ["": 0, "k": 10, "m": 20, "g": 30, "t": 40]
        guard let shift = shifts[suffix] else { return nil }
        let (value, overflow) = count.multipliedReportingOverflow(by: 1 << shift)
        return overflow ? nil : value
    }
}

extension Limits.Name {
    /// Whether the limit is a number of bytes.
    public var isByteSize: Bool {
        switch self {
        case .maxDecompressedBytes, .maxFieldBytes, .memoryBudgetBytes, .maxFileBytes: return true
        case .maxCompressionRatio, .maxThreads, .maxGridBins, .maxQuerySeconds, .maxGroups, .maxColumns, .maxTreeDepth:
            return false
        }
    }

    /// What a value of this limit looks like, for messages.
    public var expectedValue: String {
        if isByteSize { return "a positive number of bytes such as 1048576 or 64MiB" }
        return self == .maxQuerySeconds ? "a positive whole number of seconds" : "a positive whole number"
    }
}
