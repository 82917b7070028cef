# The yardstick module with a one-view format file, as every module with FormatsToProcess pays for.
@{
    RootModule        = 'Reference.dll'
    ModuleVersion     = '1.0.0'
    GUID              = '0c3e8a57-6d21-4f0b-9a64-5e1d7b2c8f90'
    FormatsToProcess  = @('Reference.Format.ps1xml')
    CmdletsToExport   = @('Get-Reference')
    FunctionsToExport = @()
    VariablesToExport = @()
    AliasesToExport   = @()
}
