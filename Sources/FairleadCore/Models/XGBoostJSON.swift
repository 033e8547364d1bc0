/// The parts of XGBoost's JSON model schema that Fairlead reads (key names as XGBoost
/// writes them). Integers in `*_param` objects are strings in the file.
enum XGBoostJSON {
    struct File: Decodable {
        var learner: Learner
    }

    struct Learner: Decodable {
        var feature_names: [String]?
        var gradient_booster: GradientBooster
        var learner_model_param: LearnerModelParameters
        var objective: Objective
    }

    struct LearnerModelParameters: Decodable {
        var base_score: StringOrNumber
        var num_class: String?
        var num_feature: String
        var num_target: String?
    }

    struct Objective: Decodable {
        var name: String
    }

    struct GradientBooster: Decodable {
        var name: String
        var model: Model?
    }

    struct Model: Decodable {
        var gbtree_model_param: GBTreeParameters
        var trees: [Tree]
    }

    struct GBTreeParameters: Decodable {
        var num_trees: String
    }

    struct Tree: Decodable {
        var left_children: [Int]
        var right_children: [Int]
        var split_indices: [Int]
        var split_conditions: [Double]
        var default_left: BoolArray
        var sum_hessian: [Double]
        var split_type: [Int]?
        var categories: [Int]?
        var categories_nodes: [Int]?
        var categories_segments: [Int]?
        var categories_sizes: [Int]?
        var tree_param: TreeParameters
    }

    struct TreeParameters: Decodable {
        var num_nodes: String
        var size_leaf_vector: String?
    }

    /// `default_left` as 0/1 integers (XGBoost 1.x–3.x) or as booleans.
    struct BoolArray: Decodable {
        var values: [Bool]

        init(from decoder: any Decoder) throws {
            let container = try decoder.singleValueContainer()
            if let integers = try? container.decode([Int].self) {
                values = integers.map { $0 != 0 }
            } else {
                values = try container.decode([Bool].self)
            }
        }
    }

    /// A value XGBoost writes as a string ("5E-1", "[5E-1]") or, in some writers, a number.
    enum StringOrNumber: Decodable {
        case string(String)
        case number(Double)

        init(from decoder: any Decoder) throws {
            let container = try decoder.singleValueContainer()
            if let number = try? container.decode(Double.self) {
                self = .number(number)
            } else {
                self = .string(try container.decode(String.self))
            }
        }
    }
}
