import FairleadCore
import Foundation

extension AuditProfile {
    /// Reads a profile file (YAML or JSON), follows its `extends:` chain and checks every
    /// key. Errors name the file, line, column and key path.
    ///
    /// `reading` bounds the YAML and says where base profiles may lie: in the folder tree of
    /// the profile at `path` (symbolic links resolved) or in one of its `allowedFolders`.
    public static func load(path: String, reading: ProfileReading = ProfileReading()) throws -> AuditProfile {
        let confinement = try Confinement(profile: path, reading: reading)
        var budget = ProfileNode.Budget(reading: reading)
        var chain = Chain(first: path)
        let text = try readText(path: path, budget: budget)
        let node = try ProfileNode.parse(text, file: path, budget: &budget)
        let merged = try resolveBases(of: node, file: path, chain: &chain, confinement: confinement, budget: &budget)
        var profile = try decode(merged, limitOverrides: reading.limitOverrides)
        profile.sourceFiles = chain.files
        return profile
    }

    /// Reads a profile from text, as if it were the file `file` (used for messages, to
    /// resolve relative paths and to confine `extends:` to that file's folder tree).
    public static func parse(_ text: String, file: String = "profile.yaml",
                             reading: ProfileReading = ProfileReading()) throws -> AuditProfile {
        var budget = ProfileNode.Budget(reading: reading)
        var chain = Chain(first: file)
        let node = try ProfileNode.parse(text, file: file, budget: &budget)
        let confinement = try Confinement(profile: file, reading: reading)
        var profile = try decode(try resolveBases(of: node, file: file, chain: &chain, confinement: confinement, budget: &budget),
                                 limitOverrides: reading.limitOverrides)
        profile.sourceFiles = chain.files
        return profile
    }

    /// The files of one `extends:` chain, in the order read: as written (for
    /// ``sourceFiles`` and messages) and as the system resolves them, to tell a cycle
    /// through a symbolic link (`l -> .`, `extends: l/x.yaml` in `x.yaml`).
    struct Chain {
        /// The paths read, the profile first.
        private(set) var files: [String]
        /// The same paths with links resolved (``Confinement/realPath(_:)``).
        private var resolved: [String]

        /// A chain of the profile at `first` alone.
        init(first: String) {
            files = [first]
            resolved = [Confinement.realPath(first)]
        }

        /// The bases read so far.
        var bases: Int { files.count - 1 }

        /// Adds `path`, or throws when it is a file of the chain already, naming the chain.
        mutating func append(_ path: String, at location: SourceLocation) throws {
            let real = Confinement.realPath(path)
            if let index = resolved.firstIndex(of: real) {
                let same = files[index] == path ? "" : " (the same file as \(MessageQuote.clipped(files[index], limit: 200)))"
                let written = (files + [path]).map { MessageQuote.clipped($0, limit: 200) }.joined(separator: " -> ")
                throw ProfileMapping.error("profiles extend each other in a cycle: \(written)\(same)", path: "extends", at: location)
            }
            files.append(path)
            resolved.append(real)
        }
    }

    /// The file's text, at most what is left of the chain's byte budget (a file larger,
    /// or a device, is not read to its end). Only a regular file is read: a FIFO, which
    /// would wait for a writer, a device, a socket or a folder is refused before it is
    /// read (``RegularFile``). Messages never quote the bytes: the file may be anything.
    private static func readText(path: String, budget: ProfileNode.Budget) throws -> String {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            throw FairleadError(.invalidProfile, "the profile does not exist", at: SourceLocation(file: path))
        }
        guard !isDirectory.boolValue else {
            throw FairleadError(.invalidProfile, "the profile path is a folder; a YAML file was expected", at: SourceLocation(file: path))
        }
        let descriptor = try RegularFile.open(path, kind: .invalidProfile, what: "profile")
        let handle = FileHandle(fileDescriptor: descriptor, closeOnDealloc: true)
        let allowed = budget.fileBytesAllowed
        let data: Data
        do {
            data = try handle.read(upToCount: allowed + 1) ?? Data()
        } catch {
            throw FairleadError(.invalidProfile, "cannot read the profile: \(error.localizedDescription)", at: SourceLocation(file: path))
        }
        if data.count > allowed {
            var over = budget
            try over.spendFileBytes(data.count, file: path)
        }
        if let encoding = ForeignTextEncoding.detect(data) { throw encoding.refusal(of: path, kind: .invalidProfile) }
        guard let text = String(data: data, encoding: .utf8) else {
            throw FairleadError(.invalidProfile, "the profile is not valid UTF-8 text", at: SourceLocation(file: path))
        }
        if text.unicodeScalars.contains(where: { $0.value == 0 }) {
            throw FairleadError(.invalidProfile, "the profile holds NUL bytes: a binary file, not YAML", at: SourceLocation(file: path))
        }
        return text
    }

    /// `node` (of `file`) with its `extends:` replaced by the merged bases it names.
    ///
    /// The chain is followed in a loop, not by recursion, and is at most
    /// ``ProfileReading/maximumBases`` long: 2,000 bases, each read by a recursive call,
    /// overflowed the stack. Each base is confined (``Confinement``) before it is looked
    /// for, a cycle is told by the paths with links resolved, and every file spends the one
    /// `budget` of the chain. The bases are then merged from the last one up.
    private static func resolveBases(of node: ProfileNode, file: String, chain: inout Chain,
                                     confinement: Confinement, budget: inout ProfileNode.Budget) throws -> ProfileNode {
        var levels: [ProfileNode] = []
        var current = node, currentFile = file
        while case .mapping(var pairs) = current.value, let index = pairs.firstIndex(where: { $0.key == "extends" }) {
            let entry = pairs.remove(at: index)
            levels.append(ProfileNode(value: .mapping(pairs), location: current.location))
            let written = try ProfileMapping.path(entry.value, path: "extends", expected: "the path of a base profile")
            let basePath = resolve(written, relativeTo: currentFile)
            try confinement.check(basePath, written: written, at: entry.value.location)
            guard FileManager.default.fileExists(atPath: basePath) else {
                throw ProfileMapping.error("the base profile '\(MessageQuote.clipped(written, limit: 200))' does not exist (looked for \(MessageQuote.clipped(basePath, limit: 200)))",
                                           path: "extends", at: entry.value.location)
            }
            try chain.append(basePath, at: entry.value.location)
            guard chain.bases <= confinement.reading.maximumBases else {
                throw ProfileNode.limitError(.bases, "the extends: chain reaches more than \(confinement.reading.maximumBases) base profiles",
                                             reading: confinement.reading,
                                             at: SourceLocation(file: entry.value.location.file, line: entry.value.location.line,
                                                                column: entry.value.location.column, field: "extends"))
            }
            let text = try readText(path: basePath, budget: budget)
            let base = try ProfileNode.parse(text, file: basePath, budget: &budget)
            guard case .mapping = base.value else {
                // Merging would silently drop a base that is not a mapping; its content (the
                // file may be anything) is not quoted.
                throw FairleadError(.invalidProfile, "not a profile: expected a mapping of keys to values, found \(base.kindName)",
                                    at: SourceLocation(file: basePath))
            }
            current = base
            currentFile = basePath
        }
        var merged = current
        while let level = levels.popLast() { merged = level.overriding(merged) }
        return merged
    }

    /// A path written in a profile, relative to that profile's folder unless absolute.
    static func resolve(_ path: String, relativeTo profileFile: String?) -> String {
        guard !path.hasPrefix("/"), let profileFile else { return path }
        let folder = (profileFile as NSString).deletingLastPathComponent
        return folder.isEmpty ? path : lexicallyNormalized((folder as NSString).appendingPathComponent(path))
    }

    /// `a/b/../c/./d` → `a/c/d`, without touching the file system (a leading `..` stays).
    static func lexicallyNormalized(_ path: String) -> String {
        var parts: [Substring] = []
        for part in path.split(separator: "/", omittingEmptySubsequences: true) {
            if part == "." { continue }
            if part == "..", let last = parts.last, last != ".." {
                parts.removeLast()
            } else {
                parts.append(part)
            }
        }
        let joined = parts.joined(separator: "/")
        return path.hasPrefix("/") ? "/" + joined : (joined.isEmpty ? "." : joined)
    }

    /// `path` as seen from `folder` (both relative to the working directory or
    /// absolute), so that a profile written into `folder` finds the file: `init` uses it.
    public static func relativePath(of path: String, fromFolder folder: String) -> String {
        let workingDirectory = FileManager.default.currentDirectoryPath
        func components(_ path: String) -> [String] {
            let absolute = path.hasPrefix("/") ? path : workingDirectory + "/" + path
            return lexicallyNormalized(absolute).split(separator: "/").map(String.init)
        }
        let from = components(folder.isEmpty ? "." : folder), to = components(path)
        var common = 0
        while common < min(from.count, to.count) && from[common] == to[common] { common += 1 }
        return (Array(repeating: "..", count: from.count - common) + to[common...]).joined(separator: "/")
    }
}
