# What a 3 a.m. runbook relies on: no leaked key anywhere, and parallel deploys that keep their sessions apart.
Describe 'Reliability and secrets' {
    BeforeAll {
        Import-Module $env:KERNEL_TEST_MODULE -Force
        . (Join-Path $PSScriptRoot 'TestHelpers.ps1')
        $example = Join-Path $PSScriptRoot '../../examples/page-title'
        $first = Start-TestEmulator -StepDelay 0.02
        $second = Start-TestEmulator -StepDelay 0.02
        $plain = { param($secure) [System.Net.NetworkCredential]::new('', $secure).Password }
        $fingerprint = {
            param($secure)
            $bytes = [System.Security.Cryptography.SHA256]::HashData([Text.Encoding]::UTF8.GetBytes((& $plain $secure)))
            ([Convert]::ToHexString($bytes).ToLowerInvariant()).Substring(0, 12)
        }
    }

    AfterAll {
        Disconnect-Kernel
        $first, $second | Stop-TestEmulator
    }

    It 'keeps the key and env var values out of every stream, $Error, a transcript and serialized sessions' {
        $key = & $plain $first.ApiKey
        $transcript = Join-Path ([IO.Path]::GetTempPath()) "kernel-transcript-$([guid]::NewGuid().ToString('N')).txt"
        $clixml = Join-Path ([IO.Path]::GetTempPath()) "kernel-session-$([guid]::NewGuid().ToString('N')).xml"
        $Error.Clear()
        Start-Transcript -Path $transcript | Out-Null
        try {
            $everything = & {
                $DebugPreference = 'Continue'
                $VerbosePreference = 'Continue'
                $session = Connect-Kernel -BaseUri $first.BaseUri -ApiKey $first.ApiKey -PassThru
                New-KernelDeployment -Path $example -EntrypointRelPath main.py -EnvVars @{ DB_PASSWORD = 'hunter2-value' } -Wait
                Invoke-KernelAction page-title health
                Get-KernelDeployment -Id nosuchdeployment -ErrorAction Continue
                $session | ConvertTo-Json
                $session | Export-Clixml -Path $clixml
                $session | Format-List * | Out-String
            } *>&1 | Out-String
        }
        finally {
            Stop-Transcript | Out-Null
        }

        $everything | Should -Match 'Authorization: REDACTED'
        $texts = @($everything, ($Error | ForEach-Object { $_ | Format-List * -Force | Out-String; $_.Exception.ToString() }) -join "`n", (Get-Content -Raw $transcript), (Get-Content -Raw $clixml))
        foreach ($text in $texts) {
            $text | Should -Not -Match ([regex]::Escape($key))
            $text | Should -Not -Match 'hunter2-value'
        }
        Remove-Item $transcript, $clixml
    }

    It 'runs 20 deploys through ForEach-Object -Parallel with two sessions, each with its own key' {
        $a = Connect-Kernel -BaseUri $first.BaseUri -ApiKey $first.ApiKey -ProjectId par-a -PassThru
        $b = Connect-Kernel -BaseUri $second.BaseUri -ApiKey $second.ApiKey -ProjectId par-b -PassThru
        Invoke-RestMethod -Method Delete "$($first.BaseUri)_emulator/journal"
        Invoke-RestMethod -Method Delete "$($second.BaseUri)_emulator/journal"

        $results = 1..20 | ForEach-Object -Parallel {
            Import-Module $using:env:KERNEL_TEST_MODULE
            $session = if ($_ % 2) { $using:a } else { $using:b }
            New-KernelDeployment -Path $using:example -EntrypointRelPath main.py -Session $session -Wait -ErrorAction Stop
        } -ThrottleLimit 6

        @($results).Count | Should -Be 20
        $results.Status | Sort-Object -Unique | Should -Be 'running'
        foreach ($pair in @(@($first, 'par-a'), @($second, 'par-b'))) {
            $emulator, $project = $pair
            $journal = Invoke-RestMethod "$($emulator.BaseUri)_emulator/journal"
            $creates = @($journal | Where-Object { $_.method -eq 'POST' -and $_.path -eq '/deployments' })
            $creates.Count | Should -Be 10
            $journal.key_fingerprint | Sort-Object -Unique | Should -Be (& $fingerprint $emulator.ApiKey)
            $journal.headers.'X-Kernel-Project-Id' | Sort-Object -Unique | Should -Be $project
        }
    }

    It 'follows 8 parallel deploys to running through injected 503s, each created once' {
        $project = 'par-503-' + [guid]::NewGuid().ToString('N').Substring(0, 6)
        $session = Connect-Kernel -BaseUri $first.BaseUri -ApiKey $first.ApiKey -ProjectId $project -PassThru
        foreach ($fault in @(
                @{ method = 'GET'; path = '/deployments/*'; kind = 'status'; status = 503; times = 12 },
                @{ method = 'GET'; path = '/deployments/*/events'; kind = 'status'; status = 503; times = 12 })) {
            Invoke-RestMethod -Method Post "$($first.BaseUri)_emulator/faults" -ContentType 'application/json' -Body ($fault | ConvertTo-Json)
        }

        try {
            # A version each: one that reached running would otherwise supersede (stop) the others', and a wait that
            # fell back to polling through the 503s could see its deployment already stopped.
            $results = 1..8 | ForEach-Object -Parallel {
                Import-Module $using:env:KERNEL_TEST_MODULE
                New-KernelDeployment -Path $using:example -EntrypointRelPath main.py -Version "par-$_" -Session $using:session -Wait -Timeout 2m -ErrorAction Stop
            } -ThrottleLimit 8
        }
        finally {
            Invoke-RestMethod -Method Delete "$($first.BaseUri)_emulator/faults"
        }

        @($results).Count | Should -Be 8
        $results.Status | Sort-Object -Unique | Should -Be 'running'
        $journal = Invoke-RestMethod "$($first.BaseUri)_emulator/journal"
        @($journal | Where-Object { $_.method -eq 'POST' -and $_.path -eq '/deployments' -and $_.headers.'X-Kernel-Project-Id' -eq $project }).Count | Should -Be 8
        @(Get-KernelDeployment -Session $session).Count | Should -Be 8
    }
}
