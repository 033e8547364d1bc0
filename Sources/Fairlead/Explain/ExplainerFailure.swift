import FairleadCore

/// An explainer's error placed in the files it came from: the explainers see a model and
/// matrices, not files, so a split without cover names no model file and a missing
/// background value names no line.
public enum ExplainerFailure {
    /// `error` at the model file when it is a model error that names no file; at the line
    /// and column of the background's row when it is a value error about a row (in the
    /// data, which serves as the background when `backgroundPath` is nil), with what to do:
    /// `backgroundOption` is how the background is given (`--background`, `model.background`).
    public static func located(_ error: FairleadError, modelPath: String, backgroundPath: String?, dataPath: String,
                               backgroundOption: String = "--background", limits: Limits = Limits()) -> FairleadError {
        guard error.location?.file == nil else { return error }
        var located = error
        switch error.kind {
        case .invalidModel:
            located.location = SourceLocation(file: modelPath, line: error.location?.line, column: error.location?.column,
                                              field: error.location?.field)
        case .invalidData:
            guard let row = error.row else { return error }
            let path = backgroundPath ?? dataPath
            var options = CSVOptions()
            options.limits = limits
            located.location = CSVReader.locateRecord(row, column: error.location?.field, path: path, options: options)
                ?? SourceLocation(file: path, field: error.location?.field)
            located.message += backgroundPath == nil
                ? "; no \(backgroundOption) was given, so the data is the background: give \(backgroundOption) with complete rows, or fill or drop the rows with missing values"
                : "; fill or drop the background's rows with missing values"
        default:
            return error
        }
        return located
    }
}
