/// How ``CSVReader`` reads a file.
///
///     var options = CSVOptions()
///     options.delimiter = ";"
///     options.missingMarkers = ["", "NA", "-"]
///     options.threads = 2
public struct CSVOptions: Sendable, Equatable {
    /// The field separator: one ASCII character other than `"`, CR and LF. Default `,`.
    public var delimiter: Unicode.Scalar = ","
    /// Field values (after unquoting, compared byte for byte) that mean "missing"; each is
    /// counted per column. Default: the empty field, `NA`, `NaN` and `null`.
    public var missingMarkers: Set<String> = ["", "NA", "NaN", "null"]
    /// Whether an empty field is SQL's NULL, as a database writes a result as CSV
    /// (PostgreSQL's `COPY … (FORMAT csv)`, DuckDB's `COPY`, Spark's `df.write.csv`): an
    /// unquoted empty field is missing whatever ``missingMarkers`` says, and a quoted one,
    /// `""`, is the empty text — missing only when `""` is a marker, as any other value.
    ///
    ///     a,b            with emptyFieldIsNull and missingMarkers ["NA"]:
    ///     ,""            a is missing (NULL), b is the empty text ''
    ///
    /// In a numeric column, where the empty text is no number, `""` is missing too.
    ///
    /// Default `false`: a data file's `""` and empty field are the same empty value, as
    /// spreadsheets write them.
    public var emptyFieldIsNull = false
    /// How many threads read the file: 1 parses as it reads; more read in steps, one
    /// task reading and tokenizing the next block while the block before is converted,
    /// a task per column (so a read gains most from a second core when it asks for
    /// several columns). The table is the same for any count.
    public var threads: Int = 1
    /// Bytes read from the file at a time: `blockSize` on one thread, at most 64 KiB
    /// (two blocks) on more. The reader holds that plus the columns it builds; a record
    /// longer than a block grows it. Default 1 MiB; small values exist for tests.
    public var blockSize: Int = 1 << 20
    /// The bounds on what a file may cost: bytes inflated from gzip and their ratio to the
    /// compressed bytes, and the bytes of one field. Default: ``Limits``' defaults.
    public var limits = Limits()
    /// Whether a column asked for as numeric refuses `inf` and `infinity` (numbers by the
    /// grammar, but no measurement): a reader of features, scores and weights sets it, so
    /// that the cell stops the read at its line and column ("expected a finite number")
    /// instead of reaching margins and JSON as ±inf. Default `false`: a query result whose
    /// sums overflowed reads them to say which sum did.
    public var refusesInfinity = false

    /// The default options: comma-separated, the usual missing markers, one thread.
    public init() {}
}
