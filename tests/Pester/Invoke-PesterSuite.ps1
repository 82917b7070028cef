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
    # The folder holding the built .nupkg (./build.ps1 Package).
    [Parameter(Mandatory)] [string] $PackagePath,
    [Parameter(Mandatory)] [string] $ResultDirectory
)

$ErrorActionPreference = 'Stop'
Import-Module $PesterPath -Force
$env:KERNEL_TEST_MODULE = (Resolve-Path $ModulePath).Path
$env:KERNEL_TEST_PACKAGE = (Resolve-Path $PackagePath).Path
# Users write `Import-Module Kernel`: put the staged module where PowerShell looks for modules.
$env:PSModulePath = (Split-Path (Split-Path $env:KERNEL_TEST_MODULE)) + [IO.Path]::PathSeparator + $env:PSModulePath

$configuration = New-PesterConfiguration
# The suite, and the examples users copy (they must keep working).
$configuration.Run.Path = @($PSScriptRoot, (Join-Path $PSScriptRoot '../../examples'))
$configuration.Run.PassThru = $true
$configuration.Output.Verbosity = 'Detailed'
$configuration.TestResult.Enabled = $true
$configuration.TestResult.OutputFormat = 'NUnitXml'
$configuration.TestResult.OutputPath = Join-Path $ResultDirectory 'pester.xml'

$run = Invoke-Pester -Configuration $configuration
# The names of what failed travel with the counts: build.ps1 prints them next to its last line, which is the part of
# a long CI log that survives truncation.
$failures = @(
    foreach ($test in $run.Failed) { "$($test.ExpandedPath): $(@($test.ErrorRecord)[0])" }
    foreach ($block in $run.FailedBlocks) { "$($block.Path -join '.') (setup): $(@($block.ErrorRecord)[0])" }
    foreach ($container in $run.FailedContainers) { "$($container.Item): $(@($container.ErrorRecord)[0])" }
)
[pscustomobject]@{
    Passed   = $run.PassedCount
    Failed   = $run.FailedCount + $run.FailedBlocksCount + $run.FailedContainersCount
    Skipped  = $run.SkippedCount + $run.NotRunCount
    Failures = $failures
} | ConvertTo-Json | Set-Content -Path (Join-Path $ResultDirectory 'pester-summary.json')
exit ([int]($run.Result -ne 'Passed'))
