# The yardstick module without a format file.
@{
    RootModule        = 'Reference.dll'
    ModuleVersion     = '1.0.0'
    GUID              = '9f5d6c1e-3b0a-4c39-8d4e-2a7b1f0e6c55'
    CmdletsToExport   = @('Get-Reference')
    FunctionsToExport = @()
    VariablesToExport = @()
    AliasesToExport   = @()
}
