@_exported import FairleadCore
