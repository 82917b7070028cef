Describe 'Deployments against the emulator' {
    BeforeAll {
        Import-Module $env:KERNEL_TEST_MODULE -Force
        $example = Join-Path $PSScriptRoot '../../examples/page-title'
        . (Join-Path $PSScriptRoot 'TestHelpers.ps1')
        $emulator = Start-TestEmulator
    }

    BeforeEach {
        # Some tests connect elsewhere (a wrong key, a slow emulator): every test starts from the shared emulator.
        Connect-Kernel -BaseUri $emulator.BaseUri -ApiKey $emulator.ApiKey
    }

    AfterAll {
        Disconnect-Kernel
        $emulator | Stop-TestEmulator
    }

    Describe 'Deploying an app' {
        It 'deploys the example through the pipeline and follows it to running' {
            $deployment = New-KernelDeployment -Path $example -EntrypointRelPath main.py -EnvVars @{ GREETING = 'hi' } -Force |
                Wait-KernelDeployment

            $deployment | Should -BeOfType Kernel.PowerShell.KernelDeployment
            $deployment.Status | Should -Be 'running'
            $deployment.EnvVars.Keys | Should -Be @('GREETING')
        }

        It 'puts only the deployment on the output stream; logs go to the information stream' {
            $output = @(New-KernelDeployment -Path $example -EntrypointRelPath main.py |
                Wait-KernelDeployment -InformationVariable info)

            $output.Count | Should -Be 1
            ($info | Where-Object Tags -Contains 'KernelLog').MessageData.Message | Should -Contain 'Building main.py'
        }

        It 'shows the build log and the summary on the host of a runbook by default, as Write-Host does; 6> captures them, -InformationAction Ignore drops them' {
            $script = Join-Path $TestDrive 'log-on-host.ps1'
            Set-Content -LiteralPath $script -Value @'
param($Module, $BaseUri, $Key, $App)
Import-Module $Module
Connect-Kernel -BaseUri $BaseUri -ApiKey (ConvertTo-SecureString $Key -AsPlainText -Force)
'--- default'
$null = New-KernelDeployment -Path $App -EntrypointRelPath main.py -Wait
'--- redirected'
$records = New-KernelDeployment -Path $App -EntrypointRelPath main.py -Wait 6>&1 | Where-Object { $_ -is [System.Management.Automation.InformationRecord] }
"captured $(@($records | Where-Object Tags -Contains KernelLog).Count) log lines and $(@($records | Where-Object Tags -Contains Kernel).Count) summary"
'--- Ignore'
$null = New-KernelDeployment -Path $App -EntrypointRelPath main.py -Wait -InformationAction Ignore
'--- SilentlyContinue'
$null = New-KernelDeployment -Path $App -EntrypointRelPath main.py -Wait -InformationAction SilentlyContinue -InformationVariable kept
"kept $(@($kept | Where-Object Tags -Contains KernelLog).Count) log lines"
'--- end'
'@
            $key = [System.Net.NetworkCredential]::new('', $emulator.ApiKey).Password
            $text = (Invoke-FreshPwsh -File $script -Module $env:KERNEL_TEST_MODULE -BaseUri $emulator.BaseUri -Key $key -App $example | ForEach-Object { "$_" }) -join "`n"
            $section = @{}
            foreach ($match in [regex]::Matches($text, '(?ms)^--- (\w+)\n(.*?)(?=^--- )')) { $section[$match.Groups[1].Value] = $match.Groups[2].Value.Trim() }

            $section.default | Should -Match '(?m)^Building main\.py$'
            $section.default | Should -Match '(?m)^App page-title latest deployed in \d+\.\d s \(5 files, [\d.]+ KB\); invoke with: Invoke-KernelAction page-title get-page-title$'
            $section.redirected | Should -Match '^captured [3-9] log lines and 1 summary$'
            $section.Ignore | Should -BeNullOrEmpty
            $section.SilentlyContinue | Should -Match '^kept [3-9] log lines$'
        }

        It 'accepts a folder from Get-Item' {
            (Get-Item $example | New-KernelDeployment -EntrypointRelPath main.py).EntrypointRelPath | Should -Be 'main.py'
        }

        It 'shows a deployment as a table with its id and status' {
            $table = New-KernelDeployment -Path $example -EntrypointRelPath main.py | Wait-KernelDeployment | Format-Table | Out-String
            $table | Should -Match 'Id\s+Status\s+Created\s+Deployment'
            # 'page-title latest, main.py' does not fit the column an 80-column terminal leaves: one part a line.
            $table | Should -Match '\s+running\s+\d{4}-\d\d-\d\d \d\d:\d\d page-title latest\r?\n\s+main\.py'
        }

        It 'gets a deployment by id' {
            $created = New-KernelDeployment -Path $example -EntrypointRelPath main.py
            (Get-KernelDeployment -Id $created.Id).Id | Should -Be $created.Id
        }
    }

    Describe 'Packaging as Kernel''s CLI does' {
        It 'keeps dot-files and leaves out what .gitignore excludes' {
            $app = New-TestApp @{
                'main.py'                 = "import kernel`napp = kernel.App('dots')`n"
                '.env'                    = 'A=1'
                '.gitignore'              = "node_modules/`n*.log`n"
                'node_modules/x/index.js' = '//'
                'debug.log'               = 'noise'
                'src/.settings'           = '{}'
            }
            New-KernelDeployment -Path $app -EntrypointRelPath main.py -WhatIf -Verbose 4>&1 6>&1 | Out-String -OutVariable text

            "$text" | Should -Match 'To upload: .* \(4 files, '
            "$text" | Should -Match "node_modules/ \('node_modules/' in \.gitignore\)"
            "$text" | Should -Match "debug\.log \('\*\.log' in \.gitignore\)"
            Remove-Item -Recurse -Force $app
        }
    }

    Describe 'Refusals and failures' {
        BeforeAll {
            $silent = [System.Net.Sockets.TcpListener]::new([ipaddress]::Loopback, 0)
            $silent.Start()
            $silentUri = "http://127.0.0.1:$($silent.LocalEndpoint.Port)/"
            $silentSession = Connect-Kernel -BaseUri $silentUri -ApiKey (ConvertTo-SecureString 'sk_unused' -AsPlainText -Force) -PassThru -SkipVerify
        }

        AfterAll {
            $silent.Stop()
        }

        It '-WhatIf sends nothing' {
            New-KernelDeployment -Path $example -EntrypointRelPath main.py -Session $silentSession -WhatIf | Should -BeNullOrEmpty
            $silent.Pending() | Should -BeFalse
        }

        It 'refuses a missing entrypoint before uploading anything' {
            { New-KernelDeployment -Path $example -EntrypointRelPath nope.py -Session $silentSession -ErrorAction Stop } |
                Should -Throw -ErrorId 'EntrypointNotFound,Kernel.PowerShell.Cmdlets.NewKernelDeploymentCommand'
            $silent.Pending() | Should -BeFalse
        }

        It 'gives a one-line error for a wrong API key' {
            $wrong = Connect-Kernel -BaseUri $emulator.BaseUri -ApiKey (ConvertTo-SecureString 'sk_wrong' -AsPlainText -Force) -PassThru -SkipVerify
            New-KernelDeployment -Path $example -EntrypointRelPath main.py -Session $wrong -ErrorAction SilentlyContinue -ErrorVariable failure

            $failure.Count | Should -Be 1
            $failure[0].FullyQualifiedErrorId | Should -BeLike 'ApiUnauthorized,*'
            $failure[0].CategoryInfo.Category | Should -Be 'AuthenticationError'
            $failure[0].Exception.Message | Should -Not -Match "`n"
        }

        It 'reports a failed deployment as an error with the reason, catchable with -ErrorAction Stop' {
            $app = New-TestApp @{ 'main.py' = "print('no app here')`n" }
            $caught = $null
            try {
                New-KernelDeployment -Path $app -EntrypointRelPath main.py | Wait-KernelDeployment -ErrorAction Stop
            }
            catch {
                $caught = $_
            }

            $caught | Should -Not -BeNullOrEmpty
            $caught.FullyQualifiedErrorId | Should -BeLike 'DeploymentFailed,*'
            $caught.Exception.Message | Should -Match "No Kernel app found in 'main\.py'"
            $caught.TargetObject.Status | Should -Be 'failed'
            Remove-Item -Recurse -Force $app
        }

        It 'fails the script with a non-zero exit code when a deployment fails and nothing catches it' {
            $app = New-TestApp @{ 'main.py' = "print('no app here')`n" }
            $script = @"
`$ErrorActionPreference = 'Stop'
Import-Module '$env:KERNEL_TEST_MODULE'
Connect-Kernel -BaseUri '$($emulator.BaseUri)' -ApiKey (ConvertTo-SecureString '$([System.Net.NetworkCredential]::new('', $emulator.ApiKey).Password)' -AsPlainText -Force)
New-KernelDeployment -Path '$app' -EntrypointRelPath main.py | Wait-KernelDeployment
"@
            $file = Join-Path ([IO.Path]::GetTempPath()) "kernel-pester-$([guid]::NewGuid().ToString('N')).ps1"
            Set-Content -Path $file -Value $script
            $output = Invoke-FreshPwsh -File $file | Out-String
            $LASTEXITCODE | Should -Be 1
            $output | Should -Match "No Kernel app found in 'main\.py'"
            Remove-Item $file
            Remove-Item -Recurse -Force $app
        }

        It 'times out with an OperationTimeout error' {
            $slow = Start-TestEmulator -StepDelay 30
            try {
                $session = Connect-Kernel -BaseUri $slow.BaseUri -ApiKey $slow.ApiKey -PassThru
                New-KernelDeployment -Path $example -EntrypointRelPath main.py -Session $session |
                    Wait-KernelDeployment -Session $session -Timeout 1 -ErrorAction SilentlyContinue -ErrorVariable failure

                $failure[0].FullyQualifiedErrorId | Should -BeLike 'DeploymentWaitTimeout,*'
                $failure[0].CategoryInfo.Category | Should -Be 'OperationTimeout'
            }
            finally {
                $slow | Stop-TestEmulator
            }
        }
    }

    Describe 'Secrets' {
        It 'never writes the API key or env var values to any stream' {
            $key = [System.Net.NetworkCredential]::new('', $emulator.ApiKey).Password
            $everything = & {
                $DebugPreference = 'Continue'
                $VerbosePreference = 'Continue'
                New-KernelDeployment -Path $example -EntrypointRelPath main.py -EnvVars @{ TOKEN = 'super-secret-value' } | Wait-KernelDeployment
                Get-KernelSession | Format-List * | Out-String
            } *>&1 | Out-String

            $everything | Should -Match 'Authorization: REDACTED'
            $everything | Should -Not -Match ([regex]::Escape($key))
            $everything | Should -Not -Match 'super-secret-value'
            ($Error | Out-String) | Should -Not -Match ([regex]::Escape($key))
        }
    }
}
