/// The consent values the tests give the bundled leads, by a lead's position in the
/// sample (`L0000001` is 0): refusals, purpose lists in any case, blanks and missing
/// markers. `scripts/spark_check.py --consent-fixture` gives the engine checks the same.
public enum ConsentFixture {
    public static func value(_ index: Int) -> String {
        if index % 5 == 4 { return "marketing" }
        if index % 7 == 0 { return "Marketing | Fairness_Audit" }
        if index % 11 == 3 { return "NA" }
        if index % 13 == 6 { return " No" }
        if index % 17 == 2 { return "" }
        return index % 3 == 0 ? "TRUE" : "sales;fairness_audit"
    }
}
