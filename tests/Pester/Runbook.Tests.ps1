# What a runbook host (Azure Automation, CI, a scheduled task) relies on: a non-interactive pwsh that never stops
# to ask, and an emulator that outlives the keys pressed at the prompt of the shell that started it.
BeforeAll {
    Import-Module $env:KERNEL_TEST_MODULE -Force
    . (Join-Path $PSScriptRoot 'TestHelpers.ps1')
    $example = (Resolve-Path (Join-Path $PSScriptRoot '../../examples/page-title')).ProviderPath
    $extension = (Resolve-Path (Join-Path $PSScriptRoot '../../examples/hello-extension')).ProviderPath
}

Describe '-Debug in a non-interactive host' {
    It 'never prompts, on any cmdlet, and shows the verbose messages on the Debug stream' {
        $script = Join-Path $TestDrive 'debug-everything.ps1'
        Set-Content -LiteralPath $script -Value @'
param($Module, $Example, $Extension)
Import-Module $Module
$ran = [System.Collections.Generic.List[string]]::new()
function Step([string] $Name, [scriptblock] $Block) {
    $ran.Add($Name)
    try { & $Block } catch { "FAILED ${Name}: $_" }
}
$emu = $null; $d = $null; $i = $null; $a = $null
Step Start-KernelEmulator { $script:emu = Start-KernelEmulator -StepDelay 0.02 -Debug -ErrorAction Stop }
Step Connect-Kernel { Connect-Kernel -BaseUri $emu.BaseUri -ApiKey $emu.ApiKey -Debug -ErrorAction Stop }
Step Get-KernelSession { Get-KernelSession -Debug -ErrorAction Stop | Out-Null }
Step New-KernelDeployment { $script:d = New-KernelDeployment -Path $Example -EntrypointRelPath main.py -Debug -ErrorAction Stop }
Step Wait-KernelDeployment { Wait-KernelDeployment -Id $d.Id -Debug -ErrorAction Stop | Out-Null }
Step Get-KernelDeployment { Get-KernelDeployment -Id $d.Id -Debug -ErrorAction Stop | Out-Null }
Step Get-KernelDeploymentLog { Get-KernelDeploymentLog -Id $d.Id -QuietPeriod 0.3 -Debug -ErrorAction Stop | Out-Null }
Step Get-KernelApp { Get-KernelApp -Debug -ErrorAction Stop | Out-Null }
Step Invoke-KernelAction { $script:i = Invoke-KernelAction page-title health -Debug -ErrorAction Stop }
Step Get-KernelInvocation { Get-KernelInvocation -Id $i.Id -Debug -ErrorAction Stop | Out-Null }
Step Wait-KernelInvocation { $script:a = Invoke-KernelAction page-title health -Async -ErrorAction Stop; Wait-KernelInvocation -Id $a.Id -Debug -ErrorAction Stop | Out-Null }
Step Stop-KernelInvocation { Stop-KernelInvocation -Id (Invoke-KernelAction page-title health -Async).Id -Debug -WarningAction SilentlyContinue }
Step Remove-KernelDeployment { Remove-KernelDeployment -Id $d.Id -Confirm:$false -Debug -ErrorAction Stop }
Step Set-KernelEmulator { $emu | Set-KernelEmulator -StepDelay 0.02 -Debug -ErrorAction Stop }
Step Add-KernelEmulatorFault { $emu | Add-KernelEmulatorFault -Path /never -Debug -ErrorAction Stop }
Step Get-KernelEmulatorFault { $emu | Get-KernelEmulatorFault -Debug -ErrorAction Stop | Out-Null }
Step Clear-KernelEmulatorFault { $emu | Clear-KernelEmulatorFault -Debug -ErrorAction Stop }
Step Set-KernelEmulatorOutcome { $emu | Set-KernelEmulatorOutcome -DeploymentFailure nope -AppName never -Debug -ErrorAction Stop }
Step Clear-KernelEmulatorOutcome { $emu | Clear-KernelEmulatorOutcome -Debug -ErrorAction Stop }
Step Get-KernelEmulatorJournal { $emu | Get-KernelEmulatorJournal -Debug -ErrorAction Stop | Out-Null }
Step Clear-KernelEmulatorJournal { $emu | Clear-KernelEmulatorJournal -Debug -ErrorAction Stop }
$out = New-Item -ItemType Directory (Join-Path ([IO.Path]::GetTempPath()) "kernel-debug-$([guid]::NewGuid().ToString('N'))")
$b = $null; $p = $null; $px = $null; $r = $null
Step New-KernelProfile { $script:p = New-KernelProfile debug-profile -Debug -ErrorAction Stop }
Step New-KernelProxy { $script:px = New-KernelProxy custom debug-proxy -HostName proxy.example.com -Port 3128 -Debug -ErrorAction Stop }
Step New-KernelBrowser { $script:b = New-KernelBrowser -Name debug -Profile $p -SaveProfileChanges -Proxy $px -Debug -ErrorAction Stop }
Step Get-KernelBrowser { Get-KernelBrowser -Name debug -Debug -ErrorAction Stop | Out-Null }
Step Set-KernelBrowser { Set-KernelBrowser -Id $b.Id -Tag @{ job = 'debug' } -Debug -ErrorAction Stop }
Step Start-KernelBrowserReplay { $script:r = $b | Start-KernelBrowserReplay -Debug -ErrorAction Stop }
Step Stop-KernelBrowserReplay { $b | Stop-KernelBrowserReplay -Debug -ErrorAction Stop }
Step Get-KernelBrowserReplay { $b | Get-KernelBrowserReplay -Debug -ErrorAction Stop | Out-Null }
Step Save-KernelBrowserReplay { $r | Save-KernelBrowserReplay -Destination $out -Debug -ErrorAction Stop }
Step Remove-KernelBrowser { $b | Remove-KernelBrowser -Force -Debug -ErrorAction Stop }
Step Get-KernelProfile { Get-KernelProfile -Debug -ErrorAction Stop | Out-Null }
Step Rename-KernelProfile { Rename-KernelProfile -Id $p.Id -NewName debug-profile-2 -Debug -ErrorAction Stop }
Step Save-KernelProfile { Save-KernelProfile -Id $p.Id -Destination $out -Debug -ErrorAction Stop }
Step Remove-KernelProfile { Remove-KernelProfile -Id $p.Id -Force -Debug -ErrorAction Stop }
Step Get-KernelProxy { Get-KernelProxy -Debug -ErrorAction Stop | Out-Null }
Step Set-KernelProxy { Set-KernelProxy -Id $px.Id -NewName debug-proxy-2 -Debug -ErrorAction Stop }
Step Test-KernelProxy { Test-KernelProxy -Id $px.Id -Debug -ErrorAction Stop | Out-Null }
Step Remove-KernelProxy { Remove-KernelProxy -Id $px.Id -Force -Debug -ErrorAction Stop }
$x = $null; $bp = $null; $lb = $null
Step Publish-KernelExtension { $script:x = Publish-KernelExtension $Extension -Name debug-extension -Debug -ErrorAction Stop }
Step Get-KernelExtension { Get-KernelExtension -Debug -ErrorAction Stop | Out-Null }
Step Save-KernelExtension { Save-KernelExtension -Id $x.Id -Destination $out -Debug -ErrorAction Stop }
Step New-KernelBrowserPool { $script:bp = New-KernelBrowserPool debug-pool -Size 1 -FillRate 100 -Extension $x -Debug -ErrorAction Stop }
Step Get-KernelBrowserPool { Get-KernelBrowserPool -Debug -ErrorAction Stop | Out-Null }
Step Set-KernelBrowserPool { Set-KernelBrowserPool -Id $bp.Id -Size 2 -Debug -ErrorAction Stop }
Step Lock-KernelBrowser { $script:lb = Lock-KernelBrowser -Pool $bp -Timeout 30s -Debug -ErrorAction Stop }
Step Unlock-KernelBrowser { $lb | Unlock-KernelBrowser -Debug -ErrorAction Stop }
Step Clear-KernelBrowserPool { Clear-KernelBrowserPool -Id $bp.Id -Confirm:$false -Debug -ErrorAction Stop }
Step Remove-KernelBrowserPool { Remove-KernelBrowserPool -Id $bp.Id -Force -Debug -ErrorAction Stop }
Step Remove-KernelExtension { Remove-KernelExtension -Id $x.Id -Force -Debug -ErrorAction Stop }
Remove-Item -Recurse -Force -LiteralPath $out
Step Disconnect-Kernel { Disconnect-Kernel -Debug -ErrorAction Stop }
Step Stop-KernelEmulator { $emu | Stop-KernelEmulator -Debug -ErrorAction Stop }
"RAN $($ran -join ',')"
'@
        $lines = @(Invoke-FreshPwsh -File $script -Module $env:KERNEL_TEST_MODULE -Example $example -Extension $extension | ForEach-Object { "$_" })

        $lines | Where-Object { $_ -like 'FAILED *' } | Should -BeNullOrEmpty
        ($lines -join "`n") | Should -Not -Match 'NonInteractive mode'
        $ran = ($lines | Where-Object { $_ -like 'RAN *' }) -replace '^RAN ' -split ','
        $exported = (Get-Module Kernel).ExportedCmdlets.Keys
        @($exported | Where-Object { $_ -notin $ran }) | Should -BeNullOrEmpty -Because 'every cmdlet runs with -Debug'
        ($lines -join "`n") | Should -Match 'DEBUG: To upload: ' -Because 'under -Debug the verbose messages come on the Debug stream'
    }
}

Describe 'Start-KernelEmulator and the terminal' {
    It 'keeps the emulator running when Ctrl+C reaches the foreground process group of the shell that started it' {
        $pidFile = Join-Path $TestDrive 'pids.txt'
        $script = Join-Path $TestDrive 'hold-emulator.ps1'
        Set-Content -LiteralPath $script -Value @'
param($Module, $PidFile)
Import-Module $Module
$emu = Start-KernelEmulator
Set-Content -LiteralPath $PidFile -Value "$PID $($emu.ProcessId)"
try { while ($true) { Start-Sleep -Milliseconds 100 } }
finally {
    # The pipeline is stopping: nothing may be written to it any more, so straight to the console.
    [Threading.Thread]::Sleep(2000)
    [Console]::Out.WriteLine("ALIVE $(-not $emu.HasExited)")
    $answer = try { [Net.Http.HttpClient]::new().GetStringAsync("$($emu.BaseUri)_emulator/settings").GetAwaiter().GetResult() } catch { "NO ANSWER: $_" }
    [Console]::Out.WriteLine("ANSWER $answer")
}
'@
        # setsid makes the new pwsh lead a process group of its own, as a terminal's foreground job does, and env
        # gives it SIGINT's default action whatever this process inherited: the SIGINT below goes to that whole
        # group, exactly as a terminal delivers Ctrl+C.
        $entry = [Environment]::GetCommandLineArgs()[0]
        $start = [Diagnostics.ProcessStartInfo]::new('env')
        foreach ($argument in @('--default-signal=INT', 'setsid')) { $start.ArgumentList.Add($argument) }
        if ($entry -like '*.dll') { $start.ArgumentList.Add((Get-Process -Id $PID).Path) }
        foreach ($argument in @($entry, '-NoProfile', '-NonInteractive', '-File', $script, '-Module', $env:KERNEL_TEST_MODULE, '-PidFile', $pidFile)) {
            $start.ArgumentList.Add($argument)
        }
        $start.RedirectStandardInput = $true
        $start.RedirectStandardOutput = $true
        $start.UseShellExecute = $false
        $shell = [Diagnostics.Process]::Start($start)
        try {
            $deadline = [DateTime]::UtcNow.AddSeconds(30)
            while (-not (Test-Path $pidFile) -and [DateTime]::UtcNow -lt $deadline) { Start-Sleep -Milliseconds 100 }
            $shellPid, $emulatorPid = [int[]]((Get-Content -Raw $pidFile).Trim() -split ' ')
            $group = [int](& ps -o pgid= -p $shellPid).Trim()
            $group | Should -Be $shellPid -Because 'the shell leads its own process group'
            $group | Should -Not -Be ([int](& ps -o pgid= -p $PID).Trim())

            & /bin/kill -s INT -- "-$group"
            $output = $shell.StandardOutput.ReadToEndAsync()
            $shell.WaitForExit(20000) | Should -BeTrue

            $output.Result | Should -Match 'ALIVE True'
            $output.Result | Should -Match 'ANSWER \{"step_delay_ms"'
        }
        finally {
            if (-not $shell.HasExited) { $shell.Kill($true) }
        }
    }
}

Describe '-WhatIf in a CI lint step without credentials' {
    It 'checks New-KernelDeployment and Invoke-KernelAction locally and says what they would send, with no session and no key' {
        $command = "`$env:KERNEL_API_KEY = `$null; `$env:KERNEL_BASE_URL = `$null; Import-Module '$env:KERNEL_TEST_MODULE'; " +
            "New-KernelDeployment -Path '$example' -EntrypointRelPath main.py -EnvVars @{ MODE = 'x' } -WhatIf; " +
            "Invoke-KernelAction page-title health -Payload @{ a = 1 } -WhatIf; " +
            "New-KernelDeployment -Path '$example' -EntrypointRelPath nope.py -WhatIf -ErrorAction Continue; 'END'"
        $lines = @(Invoke-FreshPwsh -Command $command | ForEach-Object { "$_" })
        $text = $lines -join "`n"

        $text | Should -Match 'What if: .*Deploy to https://api\.onkernel\.com/ \(not connected: .*\) \(POST /deployments: file, entrypoint_rel_path, version, force, region, env_vars\[MODE\]\)'
        $text | Should -Match 'What if: .*page-title/health version latest on https://api\.onkernel\.com/ .*POST /invocations: app_name, action_name, version, payload \(7 characters of JSON\), async false'
        $text | Should -Match 'nope\.py'
        $text | Should -Not -Match 'Not connected to Kernel'
        $lines[-1] | Should -Be 'END'
    }

    It 'says what New-KernelBrowser, New-KernelBrowserPool, New-KernelProfile and New-KernelProxy would create, with no session and no key' {
        $command = "`$env:KERNEL_API_KEY = `$null; `$env:KERNEL_BASE_URL = `$null; Import-Module '$env:KERNEL_TEST_MODULE'; " +
            "New-KernelBrowser -Name job -Profile shop -WhatIf; New-KernelBrowserPool warm -Size 2 -WhatIf; " +
            "New-KernelProfile shop -WhatIf; New-KernelProxy custom corp -HostName proxy.example.com -Port 3128 -WhatIf; 'END'"
        $lines = @(Invoke-FreshPwsh -Command $command | ForEach-Object { "$_" })
        $text = $lines -join "`n"

        $text | Should -Match "What if: .*browser 'job' on https://api\.onkernel\.com/ \(not connected: .*\) with profile shop"
        $text | Should -Match "What if: .*browser pool 'warm' of 2 browsers on https://api\.onkernel\.com/ \(not connected"
        $text | Should -Match "What if: .*profile 'shop' on https://api\.onkernel\.com/ \(not connected"
        $text | Should -Match "What if: .*custom proxy 'corp' \(proxy\.example\.com:3128\) on https://api\.onkernel\.com/ \(not connected"
        $text | Should -Not -Match 'Not connected to Kernel'
        $lines[-1] | Should -Be 'END'
    }
}
