// A client of the library imports `TokenScope` and gets every stage and the types they return.
@_exported import Geometry
@_exported import TokenScopeCore
@_exported import JSON
@_exported import TensorFormats
@_exported import Reachability
@_exported import Tokenizers
