import Foundation

/// Reading a model file and turning what goes wrong into `FairleadError(.invalidModel)`
/// messages that name the file and the place.
enum ModelFile {
    /// The bytes of `path`, at most `limits.maxFileBytes` of them.
    static func contents(of path: String, limits: Limits = Limits()) throws -> Data {
        try BoundedFile.read(path, limits: limits, kind: .invalidModel, what: "model file")
    }

    /// Refuses a text model (JSON, LightGBM's text) in UTF-16 or UTF-32 by its encoding
    /// (``ForeignTextEncoding``), before it is taken for a model of no known format.
    static func requireUTF8(_ data: Data, path: String) throws {
        if let encoding = ForeignTextEncoding.detect(data) { throw encoding.refusal(of: path, kind: .invalidModel) }
    }

    /// `data` without the UTF-8 byte order mark (EF BB BF) that Windows editors put at the
    /// start of a text file: a model saved so reads as the same model, as a CSV file does,
    /// and positions in messages count from the text after the mark, as editors show them.
    static func withoutByteOrderMark(_ data: Data) -> Data {
        data.starts(with: [0xEF, 0xBB, 0xBF]) ? Data(data.dropFirst(3)) : data
    }

    /// A JSON document decoded as `T`, with decoding errors named by their key path, once
    /// its decoding is planned within `limits.memoryBudgetBytes` (``JSONMemoryPlan``).
    static func decodeJSON<T: Decodable>(_ type: T.Type, from data: Data, path: String, what: String,
                                         limits: Limits) throws -> T {
        try JSONMemoryPlan(counting: data).check(limits, file: path, what: "the \(what)", kind: .invalidModel)
        // A key given twice, which the decoder would take the first copy of (Python the
        // last); any other failure of this pass is the decoder's to describe.
        if let duplicate = JSONDuplicateKey.first(in: data) {
            throw data.withUnsafeBytes { describe(duplicate.failure, in: $0.bindMemory(to: UInt8.self), path: path, what: what) }
        }
        do {
            return try JSONDecoder().decode(type, from: data)
        } catch DecodingError.dataCorrupted(let context) where context.codingPath.isEmpty {
            // Foundation names no place, for a syntax error or a number the type cannot hold.
            let fault = JSONFault.locate(in: data) { (try? JSONDecoder().decode(type, from: $0)) != nil }
            guard let fault, !fault.isSyntax else { throw malformed(fault, path: path) }
            throw FairleadError(.invalidModel, "\(fault.message) in this \(what)",
                                at: SourceLocation(file: path, line: fault.line, column: fault.column, field: fault.keyPath))
        } catch let error as DecodingError {
            throw describe(error, path: path, what: what)
        } catch let error as FairleadError {
            throw error
        } catch {
            throw FairleadError(.invalidModel, "not a valid \(what): \(error.localizedDescription)", at: SourceLocation(file: path))
        }
    }

    /// A `JSONScanner` failure as a message naming the key path, which is `under` the given
    /// one (`learner.gradient_booster.model.trees`) when the scan started there.
    /// A malformed text is placed by line and column (``JSONFault``) in `bytes`, the whole file.
    static func describe(_ failure: JSONScanner.Failure, in bytes: UnsafeBufferPointer<UInt8>, path: String, what: String,
                         under prefix: String = "") -> FairleadError {
        func field(_ keyPath: String) -> String? {
            let trimmed = JSONKeyPath.text(prefix + keyPath)
            return trimmed.isEmpty ? nil : trimmed
        }
        switch failure {
        case .malformed:
            return malformed(JSONFault.syntax(in: bytes), path: path)
        case .mismatch(let expected, let keyPath):
            return FairleadError(.invalidModel, "expected \(expected) in this \(what)", at: SourceLocation(file: path, field: field(keyPath)))
        case .missingKey(let key, let keyPath):
            return FairleadError(.invalidModel, "missing key \"\(key)\" in this \(what)",
                                 at: SourceLocation(file: path, field: field(keyPath + JSONKeyPath.member(key))))
        case .duplicateKey(let key, let keyPath):
            return FairleadError(.invalidModel, "the key \"\(MessageQuote.clipped(key, limit: 60))\" is given twice in one object of this \(what); "
                                 + "readers disagree on which copy counts, so give it once",
                                 at: SourceLocation(file: path, field: field(keyPath + JSONKeyPath.member(key))))
        }
    }

    /// "not valid JSON" at the line and column of `fault`, and why when it is a common case.
    private static func malformed(_ fault: JSONFault?, path: String) -> FairleadError {
        guard let fault else {
            return FairleadError(.invalidModel, "not valid JSON (truncated or malformed)", at: SourceLocation(file: path))
        }
        return FairleadError(.invalidModel, fault.message, at: SourceLocation(file: path, line: fault.line, column: fault.column, field: fault.keyPath))
    }

    /// A `DecodingError` as a message naming the JSON key path (`learner.objective.name`).
    static func describe(_ error: DecodingError, path: String, what: String) -> FairleadError {
        switch error {
        case .dataCorrupted(let context) where context.codingPath.isEmpty:
            // The parser's detail quotes the byte it stopped at; the file may not be JSON at all.
            return FairleadError(.invalidModel, "not valid JSON (truncated or malformed)",
                                 at: SourceLocation(file: path))
        case .dataCorrupted(let context):
            return FairleadError(.invalidModel, "\(context.debugDescription) in this \(what)",
                                 at: SourceLocation(file: path, field: JSONKeyPath.text(context.codingPath)))
        case .keyNotFound(let key, let context):
            let field = JSONKeyPath.text(context.codingPath + [key])
            return FairleadError(.invalidModel, "missing key \"\(key.stringValue)\" in this \(what)",
                                 at: SourceLocation(file: path, field: field))
        case .typeMismatch(let type, let context):
            return FairleadError(.invalidModel, "expected \(describe(type)) in this \(what)",
                                 at: SourceLocation(file: path, field: JSONKeyPath.text(context.codingPath)))
        case .valueNotFound(let type, let context):
            return FairleadError(.invalidModel, "expected \(describe(type)), found null in this \(what)",
                                 at: SourceLocation(file: path, field: JSONKeyPath.text(context.codingPath)))
        @unknown default:
            return FairleadError(.invalidModel, "not a valid \(what)", at: SourceLocation(file: path))
        }
    }

    private static func describe(_ type: Any.Type) -> String {
        switch type {
        case is String.Type: "a string"
        case is Double.Type, is Float.Type: "a number"
        case is Int.Type: "an integer"
        case is Bool.Type: "true or false"
        default:
            String(describing: type).hasPrefix("Array") ? "an array" : "an object"
        }
    }
}
