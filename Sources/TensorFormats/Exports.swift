// Clients that read a model get the `Matrix` it yields without importing the core module themselves.
@_exported import TokenScopeCore
