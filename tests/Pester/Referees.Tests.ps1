# build.ps1 Test on a machine without Node.js: the conformance referees (tests/Conformance) need it, nothing else does.
BeforeAll {
    . (Join-Path $PSScriptRoot 'TestHelpers.ps1')
    $conformance = Join-Path $PSScriptRoot '../Conformance/Invoke-Conformance.ps1'
    $emulator = Join-Path (Split-Path $env:KERNEL_TEST_MODULE) 'emulator/Kernel.Emulator.dll'
}

Describe 'The conformance run without Node.js' {
    BeforeAll {
        $results = New-Item -ItemType Directory (Join-Path ([IO.Path]::GetTempPath()) "kernel-referees-$([guid]::NewGuid().ToString('N'))")
        # A PATH with nothing on it: no node, no npm (the child pwsh is started by its full path).
        $empty = New-Item -ItemType Directory (Join-Path $results 'empty-path')
        $saved = $env:PATH
        $env:PATH = $empty.FullName
        try {
            $output = Invoke-FreshPwsh -File $conformance -ModulePath $env:KERNEL_TEST_MODULE -EmulatorPath $emulator `
                -PesterPath (Get-Module Pester).Path -ResultDirectory $results.FullName
            $exitCode = $LASTEXITCODE
        }
        finally {
            $env:PATH = $saved
        }
        $summary = Get-Content -Raw (Join-Path $results 'conformance-summary.json') | ConvertFrom-Json
        $checks = @(Get-Content -Raw (Join-Path $results 'conformance-report.json') | ConvertFrom-Json)
    }

    AfterAll {
        Remove-Item -Recurse -Force -LiteralPath $results.FullName
    }

    It 'reports every referee as skipped, with the reason, and does not fail' {
        $exitCode | Should -Be 0 -Because ($output -join "`n")
        $summary.Failed | Should -Be 0
        $summary.Passed | Should -Be 0
        $summary.Skipped | Should -Be $checks.Count
        $checks.Name | Should -Contain '0 Prism violations on the deployments, apps, invocations, browsers, profiles, proxies, extensions and browser pools routes'
        foreach ($check in $checks) { $check.Message | Should -BeLike 'Node.js is not on PATH*Node.js 20 or later with npm*' }
        $output | Should -Contain "[SKIP] $($checks[0].Name) — $($checks[0].Message)"
    }
}
