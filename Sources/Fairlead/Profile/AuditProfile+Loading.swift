import FairleadCore
import Foundation

extension AuditProfile {
    /// Reads a profile file (YAML or JSON), follows its `extends:` chain and checks every
    /// key. Errors name the file, line, column and key path.
    ///
    /// `reading` bounds the YAML and says where base profiles may lie: in the folder tree of
    /// the profile at `path` (symbolic links resolved) or in one of its `allowedFolders`.
    public static func load(path: String, reading: ProfileReading = ProfileReading()) throws -> AuditProfile {
        var chain: [String] = []
        let confinement = try Confinement(profile: path, reading: reading)
        let merged = try loadMerged(path: path, chain: &chain, confinement: confinement)
        var profile = try decode(merged, limitOverrides: reading.limitOverrides)
        profile.sourceFiles = chain
        return profile
    }

    /// Reads a profile from text, as if it were the file `file` (used for messages, to
    /// resolve relative paths and to confine `extends:` to that file's folder tree).
    public static func parse(_ text: String, file: String = "profile.yaml",
                             reading: ProfileReading = ProfileReading()) throws -> AuditProfile {
        var chain = [file]
        let node = try ProfileNode.parse(text, file: file, reading: reading)
        let confinement = try Confinement(profile: file, reading: reading)
        var profile = try decode(try resolveBase(of: node, file: file, chain: &chain, confinement: confinement),
                                 limitOverrides: reading.limitOverrides)
        profile.sourceFiles = chain
        return profile
    }

    private static func loadMerged(path: String, chain: inout [String], confinement: Confinement) throws -> ProfileNode {
        if chain.contains(path) {
            throw FairleadError(.invalidProfile, "profiles extend each other in a cycle: \((chain + [path]).joined(separator: " -> "))",
                                at: SourceLocation(file: chain.last))
        }
        chain.append(path)
        let text = try readText(path: path, reading: confinement.reading)
        return try resolveBase(of: ProfileNode.parse(text, file: path, reading: confinement.reading), file: path, chain: &chain,
                               confinement: confinement)
    }

    /// The file's text, at most `reading.maximumBytes` of it (a device such as /dev/zero
    /// is not read to its end). Messages never quote the bytes: the file may be anything.
    private static func readText(path: String, reading: ProfileReading) throws -> String {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            throw FairleadError(.invalidProfile, "the profile does not exist", at: SourceLocation(file: path))
        }
        guard !isDirectory.boolValue else {
            throw FairleadError(.invalidProfile, "the profile path is a folder; a YAML file was expected", at: SourceLocation(file: path))
        }
        let data: Data
        do {
            let handle = try FileHandle(forReadingFrom: URL(fileURLWithPath: path))
            defer { try? handle.close() }
            data = try handle.read(upToCount: reading.maximumBytes + 1) ?? Data()
        } catch {
            throw FairleadError(.invalidProfile, "cannot read the profile: \(error.localizedDescription)", at: SourceLocation(file: path))
        }
        if data.count > reading.maximumBytes {
            throw ProfileNode.limitError(.bytes, "the profile is larger than \(reading.maximumBytes) bytes", reading: reading,
                                         at: SourceLocation(file: path))
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

    /// Replaces `extends:` by the merged base it names.
    private static func resolveBase(of node: ProfileNode, file: String, chain: inout [String],
                                    confinement: Confinement) throws -> ProfileNode {
        guard case .mapping(var pairs) = node.value, let index = pairs.firstIndex(where: { $0.key == "extends" }) else {
            return node
        }
        let entry = pairs.remove(at: index)
        let written = try ProfileMapping.scalar(entry.value, path: "extends", expected: "the path of a base profile")
        let basePath = resolve(written, relativeTo: file)
        guard FileManager.default.fileExists(atPath: basePath) else {
            throw ProfileMapping.error("the base profile '\(MessageQuote.clipped(written, limit: 200))' does not exist (looked for \(MessageQuote.clipped(basePath, limit: 200)))",
                                       path: "extends", at: entry.value.location)
        }
        try confinement.check(basePath, written: written, at: entry.value.location)
        let base = try loadMerged(path: basePath, chain: &chain, confinement: confinement)
        guard case .mapping = base.value else {
            // Merging would silently drop a base that is not a mapping; its content (the
            // file may be anything) is not quoted.
            throw FairleadError(.invalidProfile, "not a profile: expected a mapping of keys to values, found \(base.kindName)",
                                at: SourceLocation(file: basePath))
        }
        return ProfileNode(value: .mapping(pairs), location: node.location).overriding(base)
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
