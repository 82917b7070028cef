#Requires -Version 7.4
<#
.SYNOPSIS
    Many deployments at once against the same number one after another, in a fresh pwsh.
.DESCRIPTION
    Run by Invoke-Benchmark.ps1 in a new `pwsh -NoProfile -NonInteractive` per app. The endpoint and key come
    from KERNEL_BASE_URL and KERNEL_API_KEY in the environment, never from the command line.

      sequential  -Count deployments of the app, one after another, in this runspace's session
      parallel    -Count deployments at once: ForEach-Object -Parallel -ThrottleLimit Count, each runspace
                  importing the module (as a user's script must) and deploying with one of two sessions,
                  alternately (Connect-Kernel -PassThru twice: two sessions of the same process, sharing its
                  connection pool)
      imports     the same parallel loop doing only the Import-Module first, to tell its cost (and the memory
                  of Count runspaces) from the deployments'

    VmHWM (the kernel's peak resident set of this process) is read from /proc/self/status after warming up and
    after each phase. Writes one line of JSON on stdout.
#>
param(
    [Parameter(Mandatory)] [string] $ModulePath,
    [Parameter(Mandatory)] [string] $AppPath,
    [string] $Entrypoint = 'main.py',
    [int] $Count = 20
)

$ErrorActionPreference = 'Stop'
Set-StrictMode -Version Latest

function Get-Hwm { [long]((([IO.File]::ReadAllLines('/proc/self/status')) | Where-Object { $_ -like 'VmHWM:*' }) -replace '[^0-9]', '') * 1024 }
function Get-Cpu { [Diagnostics.Process]::GetCurrentProcess().TotalProcessorTime.TotalSeconds }

Import-Module $ModulePath
$sessions = @((Connect-Kernel -PassThru), (Connect-Kernel -PassThru))
# Warm: the code paths jitted and one runspace's import done, as in a session that has deployed before.
$null = New-KernelDeployment -Path $AppPath -EntrypointRelPath $Entrypoint -WarningAction SilentlyContinue
$null = 1 | ForEach-Object -Parallel { Import-Module $using:ModulePath }
[GC]::Collect()
$idle = Get-Hwm

$cpu = Get-Cpu
$clock = [Diagnostics.Stopwatch]::StartNew()
$sequential = foreach ($i in 1..$Count) { New-KernelDeployment -Path $AppPath -EntrypointRelPath $Entrypoint -Session $sessions[$i % 2] -WarningAction SilentlyContinue }
$sequentialSeconds = $clock.Elapsed.TotalSeconds
$sequentialCpu = (Get-Cpu) - $cpu
[GC]::Collect()
$afterSequential = Get-Hwm

$cpu = Get-Cpu
$clock.Restart()
$null = 1..$Count | ForEach-Object -ThrottleLimit $Count -Parallel { Import-Module $using:ModulePath }
$importsSeconds = $clock.Elapsed.TotalSeconds
$importsCpu = (Get-Cpu) - $cpu
$afterImports = Get-Hwm
[GC]::Collect()

$cpu = Get-Cpu
$clock.Restart()
$parallel = 1..$Count | ForEach-Object -ThrottleLimit $Count -Parallel {
    Import-Module $using:ModulePath
    New-KernelDeployment -Path $using:AppPath -EntrypointRelPath $using:Entrypoint -Session ($using:sessions)[$_ % 2] -WarningAction SilentlyContinue
}
$parallelSeconds = $clock.Elapsed.TotalSeconds
$parallelCpu = (Get-Cpu) - $cpu
$afterParallel = Get-Hwm

foreach ($set in @($sequential), @($parallel)) {
    if (@($set | Where-Object { $_ -and $_.Id }).Count -ne $Count) { throw "Not every deployment came back ($(@($set).Count) of $Count)." }
}
if (@($parallel.Id | Select-Object -Unique).Count -ne $Count) { throw 'The parallel deployments did not all get their own id.' }

[pscustomobject]@{
    Count             = $Count
    SequentialSeconds = $sequentialSeconds
    SequentialCpu     = $sequentialCpu
    ParallelSeconds   = $parallelSeconds
    ParallelCpu       = $parallelCpu
    ImportsSeconds    = $importsSeconds
    ImportsCpu        = $importsCpu
    IdleHwmBytes      = $idle
    SequentialHwmBytes = $afterSequential
    ImportsHwmBytes   = $afterImports
    ParallelHwmBytes  = $afterParallel
    Threads           = [Diagnostics.Process]::GetCurrentProcess().Threads.Count
} | ConvertTo-Json -Compress
