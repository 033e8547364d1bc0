# scripts/build-wheel replaces this file in the wheel with the binary's `fairlead --version`.
__version__ = "0.0.0.dev0"
