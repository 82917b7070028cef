<#
.SYNOPSIS
    Runs Pester files with every test emulator behind the Prism proxy, and writes the outcome as JSON.
.DESCRIPTION
    Invoke-Conformance.ps1 starts this in a fresh `pwsh -NoProfile -NonInteractive` with KERNEL_TEST_PRISM_SPEC,
    KERNEL_TEST_PRISM_RESULTS and KERNEL_TEST_EMULATOR_PATH set, so Start-TestEmulator (tests/Pester/TestHelpers.ps1)
    puts each emulator behind tests/Conformance/conformance-proxy.mjs. The result file holds
    {Passed, Failed, Skipped, Failures: [{Name, Message}]}.
#>
param(
    [Parameter(Mandatory)] [string] $PesterPath,
    [Parameter(Mandatory)] [string] $ModulePath,
    # The test files, separated by the platform's path separator (one argument, as -File passes strings).
    [Parameter(Mandatory)] [string] $Path,
    [Parameter(Mandatory)] [string] $ResultFile
)

$ErrorActionPreference = 'Stop'
Import-Module $PesterPath -Force
$env:KERNEL_TEST_MODULE = (Resolve-Path $ModulePath).Path
$env:PSModulePath = (Split-Path (Split-Path $env:KERNEL_TEST_MODULE)) + [IO.Path]::PathSeparator + $env:PSModulePath

$configuration = New-PesterConfiguration
$configuration.Run.Path = @($Path -split [regex]::Escape([IO.Path]::PathSeparator) | Where-Object { $_ })
$configuration.Run.PassThru = $true
$configuration.Output.Verbosity = 'Normal'
$run = Invoke-Pester -Configuration $configuration

$failures = @(
    foreach ($test in $run.Failed) {
        [pscustomobject]@{ Name = $test.ExpandedPath; Message = ($test.ErrorRecord | Select-Object -First 1 | ForEach-Object { "$_" }) }
    }
    foreach ($block in @($run.FailedBlocks) + @($run.FailedContainers)) {
        if ($null -eq $block) { continue }
        $name = if ($block.PSObject.Properties['ExpandedPath']) { $block.ExpandedPath } else { "$($block.Item)" }
        [pscustomobject]@{ Name = "$name (setup or teardown)"; Message = ($block.ErrorRecord | Select-Object -First 1 | ForEach-Object { "$_" }) }
    }
)
[pscustomobject]@{
    Passed   = $run.PassedCount
    Failed   = $failures.Count
    Skipped  = $run.SkippedCount + $run.NotRunCount
    Failures = $failures
} | ConvertTo-Json -Depth 4 | Set-Content -LiteralPath $ResultFile
exit ([int]($failures.Count -gt 0))
