extension AuditProfile {
    /// Every file the profile makes a command read, as resolved paths: the profile and
    /// the profiles it extends, `data.path`, the model and its background,
    /// `explanations.reference`, a drift baseline report and a pseudonym key file.
    ///
    /// A command's output may be none of them (`OutputSink` refuses it before anything
    /// is read or written). Every file key of the profile is listed here, beside the
    /// profile's type, rather than at each command: a key added to the profile is added
    /// once, and `explain --out` over `explanations.reference` is refused as
    /// `audit --out` over `data.path` is.
    public var inputFiles: [String] {
        var files = sourceFiles
        if let path = data.path { files.append(path) }
        if let model {
            files.append(model.path)
            if let background = model.background { files.append(background) }
        }
        if let reference = explanations?.reference { files.append(reference) }
        if case .reportFile(let path)? = drift?.baseline { files.append(path) }
        if case .file(let path, _)? = privacy?.pseudonymKey { files.append(path) }
        return files
    }
}
