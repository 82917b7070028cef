<#
.SYNOPSIS
    The main job, end to end: start a local Kernel emulator, connect, deploy examples/page-title and follow
    it to running with its logs, print the deployment, stop the emulator.
.EXAMPLE
    dotnet pwsh ./examples/Deploy-Example.ps1
#>
param(
    # The module to use; by default the one ./build.ps1 Build staged.
    [string] $ModulePath = (Join-Path $PSScriptRoot '../out/Kernel/Kernel.psd1')
)

$ErrorActionPreference = 'Stop'
Import-Module $ModulePath

$emulator = Start-KernelEmulator
try {
    Write-Host "Kernel emulator at $($emulator.BaseUri)"
    Connect-Kernel -BaseUri $emulator.BaseUri -ApiKey $emulator.ApiKey

    $deployment = New-KernelDeployment -Path (Join-Path $PSScriptRoot 'page-title') -EntrypointRelPath main.py -EnvVars @{ EXAMPLE_GREETING = 'hello' } |
        Wait-KernelDeployment

    $deployment | Format-Table | Out-Host
    if ($deployment.Status -ne 'running') { throw "The deployment ended $($deployment.Status)." }
}
finally {
    Disconnect-Kernel
    $emulator | Stop-KernelEmulator
}
