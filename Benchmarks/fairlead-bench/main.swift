import FairleadCore
print("fairlead-bench \(FairleadVersion.current)")
