# Shared by the Pester suite: dot-source it in BeforeAll.

function Invoke-FreshPwsh {
    <#
    .SYNOPSIS
        Runs arguments in a new pwsh process, the same PowerShell as this one, and returns its output lines.
        Under `dotnet pwsh` this process is the dotnet host running pwsh.dll, so the dll is passed on.
    #>
    param([Parameter(ValueFromRemainingArguments)] [string[]] $Arguments)
    $entry = [Environment]::GetCommandLineArgs()[0]
    if ($entry -like '*.dll') {
        & (Get-Process -Id $PID).Path $entry -NoProfile -NonInteractive @Arguments 2>&1
    }
    else {
        & $entry -NoProfile -NonInteractive @Arguments 2>&1
    }
}

function New-TestApp {
    <# .SYNOPSIS Writes an app folder from a table of relative path = content, and returns its path. #>
    param([hashtable] $Files)
    $root = Join-Path ([IO.Path]::GetTempPath()) ("kernel-pester-" + [guid]::NewGuid().ToString('N'))
    foreach ($name in $Files.Keys) {
        $path = Join-Path $root $name
        New-Item -ItemType Directory -Force (Split-Path $path) | Out-Null
        Set-Content -Path $path -Value $Files[$name] -NoNewline
    }
    $root
}

function Start-TestEmulator {
    <#
    .SYNOPSIS
        Starts a Kernel emulator for a test and returns BaseUri, ApiKey (SecureString) and what Stop-TestEmulator needs.
    .DESCRIPTION
        Normally this is Start-KernelEmulator and nothing else. When $env:KERNEL_TEST_PRISM_SPEC names an OpenAPI
        document (tests/Conformance/Invoke-Conformance.ps1 sets it), the emulator is put behind
        tests/Conformance/conformance-proxy.mjs, which runs Prism in validating proxy mode as its child, and BaseUri
        is the proxy's: every API call of the test is then checked against the spec, except the event streams, which
        go straight to the emulator. Each request and its violations are written to
        $env:KERNEL_TEST_PRISM_RESULTS (a temporary folder without it) as <test file>-<emulator pid>.requests.jsonl,
        Prism's log as ….prism.log, and the process ids as ….pids.json.
        $env:KERNEL_TEST_EMULATOR_PATH, when set, is the emulator to start (Start-KernelEmulator -Path).
    #>
    [CmdletBinding()]
    param(
        # Passed on to Start-KernelEmulator -StepDelay (a TimeSpan or seconds).
        [object] $StepDelay,
        # Names the result files behind a proxy; by default the calling *.Tests.ps1 file.
        [string] $Name
    )

    $parameters = @{}
    if ($PSBoundParameters.ContainsKey('StepDelay')) { $parameters.StepDelay = $StepDelay }
    if ($env:KERNEL_TEST_EMULATOR_PATH) { $parameters.Path = $env:KERNEL_TEST_EMULATOR_PATH }
    $emulator = Start-KernelEmulator @parameters
    $started = [pscustomobject]@{
        PSTypeName = 'KernelTestEmulator'
        BaseUri    = $emulator.BaseUri
        ApiKey     = $emulator.ApiKey
        Emulator   = $emulator
        Proxy      = $null
        PrismProcessId = $null
        Journal    = $null
        PrismLog   = $null
    }
    if (-not $env:KERNEL_TEST_PRISM_SPEC) { return $started }

    try {
        $spec = (Resolve-Path -LiteralPath $env:KERNEL_TEST_PRISM_SPEC -ErrorAction Stop).ProviderPath
        $proxyScript = Join-Path $PSScriptRoot '../Conformance/conformance-proxy.mjs'
        $node = Get-Command node -CommandType Application -ErrorAction Stop | Select-Object -First 1
        $results = $env:KERNEL_TEST_PRISM_RESULTS
        if (-not $results) { $results = Join-Path ([IO.Path]::GetTempPath()) "kernel-prism-$([guid]::NewGuid().ToString('N'))" }
        New-Item -ItemType Directory -Force $results | Out-Null
        $frame = Get-PSCallStack | Where-Object { $_.ScriptName -like '*.Tests.ps1' } | Select-Object -First 1
        $caller = if ($frame) { $frame.ScriptName } else { $null }
        if (-not $Name) { $Name = $caller ? [IO.Path]::GetFileNameWithoutExtension([IO.Path]::GetFileNameWithoutExtension($caller)) : 'emulator' }
        $stem = '{0}-{1}' -f $Name, $emulator.ProcessId
        $started.Journal = Join-Path $results "$stem.requests.jsonl"
        $started.PrismLog = Join-Path $results "$stem.prism.log"

        $start = [Diagnostics.ProcessStartInfo]::new($node.Source)
        foreach ($argument in @($proxyScript, '--emulator', $emulator.BaseUri.AbsoluteUri, '--spec', $spec,
                '--prism-log', $started.PrismLog, '--journal', $started.Journal, '--parent-pid', $PID, '--exit-on-stdin-close')) {
            $start.ArgumentList.Add([string]$argument)
        }
        $start.UseShellExecute = $false
        $start.RedirectStandardInput = $true
        $start.RedirectStandardOutput = $true
        $start.RedirectStandardError = $true
        $start.WorkingDirectory = Split-Path $proxyScript
        $proxy = [Diagnostics.Process]::Start($start)
        $started.Proxy = $proxy

        $deadline = [DateTime]::UtcNow.AddSeconds(90)
        $line = $null
        $read = $proxy.StandardOutput.ReadLineAsync()
        while (-not $read.Wait(200)) {
            if ($proxy.HasExited -or [DateTime]::UtcNow -gt $deadline) { break }
        }
        if ($read.IsCompleted) { $line = $read.Result }
        if ($line -notmatch 'listening on (?<uri>http://\S+) \(prism pid (?<prism>\d+)\)') {
            $errors = if ($proxy.HasExited) { $proxy.StandardError.ReadToEnd() } else { '' }
            throw "The Prism proxy did not start: $line $errors (Prism log: $($started.PrismLog))"
        }
        $started.BaseUri = [uri]$Matches.uri
        $started.PrismProcessId = [int]$Matches.prism
        [ordered]@{ emulator = $emulator.ProcessId; proxy = $proxy.Id; prism = $started.PrismProcessId; test = $caller } |
            ConvertTo-Json | Set-Content -LiteralPath (Join-Path $results "$stem.pids.json")
        $started
    }
    catch {
        Stop-TestEmulator -InputObject $started
        throw
    }
}

function Stop-TestEmulator {
    <# .SYNOPSIS Stops what Start-TestEmulator started: the proxy and its Prism (if any), then the emulator. #>
    [CmdletBinding()]
    param([Parameter(Position = 0, ValueFromPipeline)] [object[]] $InputObject)
    process {
        foreach ($started in $InputObject) {
            if ($started.Proxy) {
                $proxy = $started.Proxy
                try {
                    # Closing its stdin is the proxy's signal to stop Prism and exit.
                    if (-not $proxy.HasExited) { $proxy.StandardInput.Close() }
                    if (-not $proxy.WaitForExit(5000)) { $proxy.Kill(); $null = $proxy.WaitForExit(2000) }
                }
                catch [InvalidOperationException] { }
                # Should the proxy have died without ending Prism, end Prism here (only that one process).
                if ($started.PrismProcessId) {
                    $prism = Get-Process -Id $started.PrismProcessId -ErrorAction Ignore
                    if ($prism -and $prism.ProcessName -like 'node*') { $prism | Stop-Process -Force -ErrorAction Ignore }
                }
                $proxy.Dispose()
                $started.Proxy = $null
            }
            if ($started.Emulator) { $started.Emulator | Stop-KernelEmulator }
        }
    }
}
