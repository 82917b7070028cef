#Requires -Version 7.4
<#
.SYNOPSIS
    One New-KernelDeployment in a fresh pwsh, with the process's memory high-water mark before and after.
.DESCRIPTION
    Run by Invoke-Benchmark.ps1 in a new `pwsh -NoProfile -NonInteractive` per case (so one case's peak cannot
    hide another's). The endpoint and key come from KERNEL_BASE_URL and KERNEL_API_KEY in the environment, never
    from the command line. Reads VmHWM (the kernel's peak resident set size of this process) and VmRSS from
    /proc/self/status at three points:

      idle    after Import-Module and Connect-Kernel (module loaded, session verified, nothing deployed)
      warm    after one deployment of the warm-up folder (the small case): code paths loaded and jitted
      peak    after the deployment of the measured folder

    Writes one line of JSON on stdout; the -Verbose records of the measured deployment are included with the
    milliseconds at which each arrived (a cold-process timeline).
#>
param(
    [Parameter(Mandatory)] [string] $ModulePath,
    [Parameter(Mandatory)] [string] $AppPath,
    [Parameter(Mandatory)] [string] $WarmupPath,
    [string] $WarmupEntrypoint = 'main.py',
    [string] $Entrypoint = 'main.py'
)

$ErrorActionPreference = 'Stop'
Set-StrictMode -Version Latest

function Get-Memory {
    $status = [IO.File]::ReadAllLines('/proc/self/status')
    $read = { param($name) [long](($status | Where-Object { $_ -like "${name}:*" }) -replace '[^0-9]', '') * 1024 }
    [pscustomobject]@{ HwmBytes = & $read 'VmHWM'; RssBytes = & $read 'VmRSS' }
}

$bare = Get-Memory
Import-Module $ModulePath
Connect-Kernel
[GC]::Collect()
$idle = Get-Memory

$clock = [Diagnostics.Stopwatch]::StartNew()
$null = New-KernelDeployment -Path $WarmupPath -EntrypointRelPath $WarmupEntrypoint
$warmSeconds = $clock.Elapsed.TotalSeconds
[GC]::Collect()
$warm = Get-Memory

$timeline = [Collections.Generic.List[object]]::new()
$deployment = $null
$clock.Restart()
New-KernelDeployment -Path $AppPath -EntrypointRelPath $Entrypoint -Verbose -WarningAction SilentlyContinue 4>&1 | ForEach-Object {
    if ($_ -is [System.Management.Automation.VerboseRecord]) {
        $timeline.Add([pscustomobject]@{ Ms = [math]::Round($clock.Elapsed.TotalMilliseconds); Message = $_.Message })
    }
    else {
        $deployment = $_
    }
}
$seconds = $clock.Elapsed.TotalSeconds
$peak = Get-Memory
if (-not $deployment -or -not $deployment.Id) { throw 'New-KernelDeployment returned no deployment.' }

[pscustomobject]@{
    DeploymentId      = $deployment.Id
    BareHwmBytes      = $bare.HwmBytes
    IdleHwmBytes      = $idle.HwmBytes
    IdleRssBytes      = $idle.RssBytes
    WarmHwmBytes      = $warm.HwmBytes
    PeakHwmBytes      = $peak.HwmBytes
    AfterRssBytes     = $peak.RssBytes
    WarmupSeconds     = $warmSeconds
    DeploySeconds     = $seconds
    Timeline          = $timeline
} | ConvertTo-Json -Depth 4 -Compress
