import FairleadCore
import Foundation

extension AuditProfile {
    /// Reads a profile file (YAML or JSON), follows its `extends:` chain and checks every
    /// key. Errors name the file, line, column and key path.
    public static func load(path: String) throws -> AuditProfile {
        var chain: [String] = []
        let merged = try loadMerged(path: path, chain: &chain)
        var profile = try decode(merged)
        profile.sourceFiles = chain
        return profile
    }

    /// Reads a profile from text, as if it were the file `file` (used for messages and to
    /// resolve relative paths).
    public static func parse(_ text: String, file: String = "profile.yaml") throws -> AuditProfile {
        var chain = [file]
        let node = try ProfileNode.parse(text, file: file)
        var profile = try decode(try resolveBase(of: node, file: file, chain: &chain))
        profile.sourceFiles = chain
        return profile
    }

    private static func loadMerged(path: String, chain: inout [String]) throws -> ProfileNode {
        if chain.contains(path) {
            throw FairleadError(.invalidProfile, "profiles extend each other in a cycle: \((chain + [path]).joined(separator: " -> "))",
                                at: SourceLocation(file: chain.last))
        }
        chain.append(path)
        let text: String
        do {
            let data = try Data(contentsOf: URL(fileURLWithPath: path))
            guard let decoded = String(data: data, encoding: .utf8) else {
                throw FairleadError(.invalidProfile, "the profile is not valid UTF-8 text", at: SourceLocation(file: path))
            }
            text = decoded
        } catch let error as FairleadError {
            throw error
        } catch {
            throw FairleadError(.invalidProfile, "cannot read the profile: \(error.localizedDescription)", at: SourceLocation(file: path))
        }
        return try resolveBase(of: ProfileNode.parse(text, file: path), file: path, chain: &chain)
    }

    /// Replaces `extends:` by the merged base it names.
    private static func resolveBase(of node: ProfileNode, file: String, chain: inout [String]) throws -> ProfileNode {
        guard case .mapping(var pairs) = node.value, let index = pairs.firstIndex(where: { $0.key == "extends" }) else {
            return node
        }
        let entry = pairs.remove(at: index)
        let written = try ProfileMapping.scalar(entry.value, path: "extends", expected: "the path of a base profile")
        let basePath = resolve(written, relativeTo: file)
        guard FileManager.default.fileExists(atPath: basePath) else {
            throw ProfileMapping.error("the base profile '\(written)' does not exist (looked for \(basePath))",
                                       path: "extends", at: entry.value.location)
        }
        let base = try loadMerged(path: basePath, chain: &chain)
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
