extension TreeSHAPTables.Tree {
    /// Adds the tree's path-dependent SHAP values for a block of rows to their rows of
    /// `phi` (see `TreeSHAPTables`). Rows and `phi` are row-major with `width` columns;
    /// `stackNodes`/`stackMasks` need room for the tree's depth + 2 entries.
    ///
    /// With `root` and `mask`, only the leaves under node `root` are counted, `mask` being
    /// the path mask a row has there (``_CachedTreePart/rootMask(of:tree:nodes:bits:)``;
    /// one row then).
    func accumulate(_ tree: DecisionTree, rows: UnsafePointer<Double>, rowCount: Int, width: Int,
                    phi: UnsafeMutablePointer<Double>, stackNodes: UnsafeMutablePointer<Int32>,
                    stackMasks: UnsafeMutablePointer<UInt32>, root: Int32 = 0, mask rootMask: UInt32 = .max) {
        tree.nodes.withUnsafeBufferPointer { nodes in
        bit.withUnsafeBufferPointer { bit in
        leafSlot.withUnsafeBufferPointer { leafSlot in
        pathCount.withUnsafeBufferPointer { pathCount in
        pathStart.withUnsafeBufferPointer { pathStart in
        tableStart.withUnsafeBufferPointer { tableStart in
        pathFeature.withUnsafeBufferPointer { pathFeature in
        pathZero.withUnsafeBufferPointer { pathZero in
        table.withUnsafeBufferPointer { table in
            for r in 0..<rowCount {
                let row = rows + r * width
                let rowPhi = phi + r * width
                var top = 0
                stackNodes[0] = root
                stackMasks[0] = rootMask
                while top >= 0 {
                    let index = Int(stackNodes[top])
                    let mask = stackMasks[top]
                    top -= 1
                    let node = nodes[index]
                    if node.leftChild < 0 {
                        let slot = Int(leafSlot[index])
                        let k = Int(pathCount[slot])
                        guard k > 0 else { continue }
                        let start = Int(pathStart[slot])
                        let entries = Int(tableStart[slot])
                        let agree = Int(mask & ((1 << UInt32(k)) - 1))
                        var product = 1.0
                        for i in 0..<k where agree & (1 << i) == 0 { product *= pathZero[start + i] }
                        let outside = product * table[entries + agree]
                        for i in 0..<k {
                            let feature = Int(pathFeature[start + i])
                            if agree & (1 << i) != 0 {
                                rowPhi[feature] += product * (1 - pathZero[start + i]) * table[entries + (agree & ~(1 << i))]
                            } else {
                                rowPhi[feature] -= outside
                            }
                        }
                        continue
                    }
                    let clear = ~(UInt32(1) << UInt32(bit[index]))
                    let left = tree.goesLeft(node, row[Int(node.feature)])
                    top += 1
                    stackNodes[top] = node.rightChild
                    stackMasks[top] = left ? mask & clear : mask
                    top += 1
                    stackNodes[top] = node.leftChild
                    stackMasks[top] = left ? mask : mask & clear
                }
            }
        }}}}}}}}}
    }
}
