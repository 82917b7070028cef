<#
.SYNOPSIS
    Runs the Pester suite against a staged module and writes the counts for build.ps1.
.DESCRIPTION
    build.ps1 Test starts this in a fresh `pwsh -NoProfile -NonInteractive`, so the suite sees the module the
    way a user's CI would. The tests read the module path from $env:KERNEL_TEST_MODULE.
#>
param(
    [Parameter(Mandatory)] [string] $PesterPath,
    [Parameter(Mandatory)] [string] $ModulePath,
    [Parameter(Mandatory)] [string] $ResultDirectory
)

$ErrorActionPreference = 'Stop'
Import-Module $PesterPath -Force
$env:KERNEL_TEST_MODULE = (Resolve-Path $ModulePath).Path

$configuration = New-PesterConfiguration
$configuration.Run.Path = $PSScriptRoot
$configuration.Run.PassThru = $true
$configuration.Output.Verbosity = 'Detailed'
$configuration.TestResult.Enabled = $true
$configuration.TestResult.OutputFormat = 'NUnitXml'
$configuration.TestResult.OutputPath = Join-Path $ResultDirectory 'pester.xml'

$run = Invoke-Pester -Configuration $configuration
[pscustomobject]@{
    Passed  = $run.PassedCount
    Failed  = $run.FailedCount + $run.FailedBlocksCount + $run.FailedContainersCount
    Skipped = $run.SkippedCount + $run.NotRunCount
} | ConvertTo-Json | Set-Content -Path (Join-Path $ResultDirectory 'pester-summary.json')
exit ([int]($run.Result -ne 'Passed'))
