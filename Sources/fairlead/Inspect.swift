import ArgumentParser
import Fairlead

struct Inspect: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Read every column of a CSV file and print its rows, columns, types and missing counts."
    )

    @Argument(help: "The CSV file to inspect (.csv or .csv.gz).")
    var file: String

    func run() throws {
        print("inspect \(file)")
    }
}
