# The whole cmdlet surface, written the way an admin's script uses it.
Describe 'The Kernel cmdlets against the emulator' {
    BeforeAll {
        Import-Module $env:KERNEL_TEST_MODULE -Force
        . (Join-Path $PSScriptRoot 'TestHelpers.ps1')
        $example = Join-Path $PSScriptRoot '../../examples/page-title'
        $emulator = Start-TestEmulator -StepDelay 0.02
        $control = "$($emulator.BaseUri)_emulator"
    }

    BeforeEach {
        Connect-Kernel -BaseUri $emulator.BaseUri -ApiKey $emulator.ApiKey -ProjectId ("proj-" + [guid]::NewGuid().ToString('N').Substring(0, 8))
    }

    AfterAll {
        Disconnect-Kernel
        $emulator | Stop-TestEmulator
    }

    Context 'Deployments' {
        It 'lists every deployment across more than three pages, in order, without skipping or repeating' {
            1..307 | ForEach-Object { New-KernelDeployment -Path $example -EntrypointRelPath main.py } | Out-Null

            $all = @(Get-KernelDeployment)

            $all.Count | Should -Be 307
            ($all.Id | Sort-Object -Unique).Count | Should -Be 307
            $all[0].CreatedAt | Should -BeGreaterOrEqual $all[-1].CreatedAt
            $window = @(Get-KernelDeployment -Skip 99 -First 103)
            $window.Id | Should -Be $all[99..201].Id
        }

        It 'filters the list by app name, app version and query' {
            New-KernelDeployment -Path $example -EntrypointRelPath main.py -Version 1.0 -Wait | Out-Null
            $other = New-KernelDeployment -Path $example -EntrypointRelPath main.py -Version 2.0 -Wait

            (Get-KernelDeployment -AppName page-title -AppVersion 2.0).Id | Should -Be $other.Id
            @(Get-KernelDeployment -AppName page-title).Count | Should -Be 2
            (Get-KernelDeployment -Query $other.Id.Substring(0, 12)).Id | Should -Be $other.Id
            { Get-KernelDeployment -AppName nothing-here -ErrorAction Stop } | Should -Throw -ErrorId 'NameNotFound,Kernel.PowerShell.Cmdlets.GetKernelDeploymentCommand'
            @(Get-KernelDeployment -AppName nothing-* -ErrorAction Stop).Count | Should -Be 0
            @(Get-KernelDeployment -AppName page-* -AppVersion 2.0).Id | Should -Be @($other.Id)
        }

        It '-Wait follows the new deployment inline and attaches the app it brought up' {
            $deployment = New-KernelDeployment -Path $example -EntrypointRelPath main.py -Version 3.1 -Wait -InformationVariable info

            $deployment.Status | Should -Be 'running'
            $deployment.AppName | Should -Be 'page-title'
            $deployment.AppVersion | Should -Be '3.1'
            $deployment.App.Actions.Name | Should -Be @('get-page-title', 'health')
            ($info | Where-Object Tags -Contains Kernel).MessageData | Should -Match '^App page-title 3\.1 deployed in \d+\.\d s \(5 files, [\d.]+ KB\); invoke with: Invoke-KernelAction page-title get-page-title -Version 3\.1$'
        }

        It 'deploys a ready ZIP and checks its entrypoint before uploading' {
            $zip = Join-Path ([IO.Path]::GetTempPath()) "kernel-pester-$([guid]::NewGuid().ToString('N')).zip"
            [IO.Compression.ZipFile]::CreateFromDirectory((Resolve-Path $example), $zip)
            try {
                (New-KernelDeployment -ArchivePath $zip -EntrypointRelPath main.py -Wait).Status | Should -Be 'running'
                { New-KernelDeployment -ArchivePath $zip -EntrypointRelPath app.py -ErrorAction Stop } |
                    Should -Throw -ErrorId 'EntrypointNotFound,Kernel.PowerShell.Cmdlets.NewKernelDeploymentCommand'
            }
            finally {
                Remove-Item $zip
            }
        }

        It 'reads env files in order, lets -EnvVars win, and warns about reserved names' {
            $first = New-TemporaryFile
            $second = New-TemporaryFile
            Set-Content $first "# base`nexport REGION_NAME=eu`nMODE='slow'`nKERNEL_API_KEY=mine"
            Set-Content $second "MODE=`"fast`" # comment`nLEVEL=2"
            try {
                Invoke-RestMethod -Method Delete "$control/journal"
                $deployment = New-KernelDeployment -Path $example -EntrypointRelPath main.py -EnvFile $first, $second -EnvVars @{ LEVEL = 3 } -WarningVariable warnings

                $deployment.EnvVars.Keys | Sort-Object | Should -Be @('KERNEL_API_KEY', 'LEVEL', 'MODE', 'REGION_NAME')
                $warnings.Message | Should -Match 'KERNEL_API_KEY is reserved'
                (Invoke-RestMethod "$control/journal" | Where-Object { $_.method -eq 'POST' -and $_.path -eq '/deployments' }).form_fields | Should -Contain 'env_vars[MODE]'
            }
            finally {
                Remove-Item $first, $second
            }
        }

        It 'refuses an env file line that is not KEY=VALUE' {
            $bad = New-TemporaryFile
            Set-Content $bad 'just words'
            try {
                { New-KernelDeployment -Path $example -EntrypointRelPath main.py -EnvFile $bad -ErrorAction Stop } |
                    Should -Throw -ErrorId 'InvalidEnvFile,Kernel.PowerShell.Cmdlets.NewKernelDeploymentCommand'
            }
            finally {
                Remove-Item $bad
            }
        }

        It 'deploys from GitHub with the source part the API expects' {
            Invoke-RestMethod -Method Delete "$control/journal"
            $token = ConvertTo-SecureString 'ghp_not_a_real_token' -AsPlainText -Force

            $deployment = New-KernelDeployment -GitHubUrl https://github.com/acme/agents -Ref main -SubPath apps/shop -Entrypoint src/index.ts -GitHubToken $token -Wait

            $deployment.Status | Should -Be 'running'
            $deployment.SourceType | Should -Be 'github'
            $deployment.SourceUrl | Should -Be 'https://github.com/acme/agents'
            $deployment.SourcePath | Should -Be 'apps/shop'
            $upload = Invoke-RestMethod "$control/journal" | Where-Object { $_.method -eq 'POST' -and $_.path -eq '/deployments' }
            $upload.form_fields | Should -Contain 'source'
            $upload.form_fields | Should -Not -Contain 'file'
        }

        It 'reads the log so far and stops after a quiet spell' {
            $deployment = New-KernelDeployment -Path $example -EntrypointRelPath main.py -Wait

            $elapsed = Measure-Command { $log = @(Get-KernelDeploymentLog -Id $deployment.Id -QuietPeriod 1) }

            $log[0] | Should -BeOfType Kernel.PowerShell.KernelLogEntry
            $log.Message | Should -Contain 'Building main.py'
            $log.Timestamp | Should -Not -BeNullOrEmpty
            $elapsed.TotalSeconds | Should -BeLessThan 10
        }

        It 'follows the log until the deployment ends' {
            $failure = @{ app_name = 'page-title'; reason = 'scripted failure for the log test' } | ConvertTo-Json
            Invoke-RestMethod -Method Post "$control/scripts/deployment-failures" -ContentType application/json -Body $failure
            $deployment = New-KernelDeployment -Path $example -EntrypointRelPath main.py

            $log = @(Get-KernelDeploymentLog -Id $deployment.Id -Follow)

            $log.Message | Should -Contain 'error: scripted failure for the log test'
        }

        It 'removes deployments from the pipeline, stopping them, and only warns for one already gone' {
            $deployment = New-KernelDeployment -Path $example -EntrypointRelPath main.py -Wait

            $deployment | Remove-KernelDeployment -Confirm:$false
            Remove-KernelDeployment -Id nosuchdeployment -Confirm:$false -WarningVariable warnings -ErrorVariable errors

            (Get-KernelDeployment -Id $deployment.Id).Status | Should -Be 'stopped'
            $warnings.Message | Should -Match 'not found'
            $errors | Should -BeNullOrEmpty
        }

        It 'asks before removing, as a high-impact change' {
            $metadata = [System.Management.Automation.CommandMetadata]::new((Get-Command Remove-KernelDeployment))
            $metadata.ConfirmImpact | Should -Be 'High'
        }
    }

    Context 'Apps and invocations' {
        BeforeEach {
            New-KernelDeployment -Path $example -EntrypointRelPath main.py -Wait | Out-Null
        }

        It 'lists app versions with their actions' {
            $app = Get-KernelApp -Name page-title

            $app | Should -BeOfType Kernel.PowerShell.KernelApp
            $app.Version | Should -Be 'latest'
            $app.Actions.Name | Should -Be @('get-page-title', 'health')
            @(Get-KernelApp -Query page).Count | Should -Be 1
        }

        It 'invokes synchronously, sending a hashtable payload as JSON and parsing the output' {
            $invocation = Invoke-KernelAction -AppName page-title -ActionName get-page-title -Payload @{ url = 'https://example.com'; tries = 2 }

            $invocation | Should -BeOfType Kernel.PowerShell.KernelInvocation
            $invocation.Status | Should -Be 'succeeded'
            $invocation.Output.payload.url | Should -Be 'https://example.com'
            $invocation.Output.payload.tries | Should -Be 2
            ($invocation.Payload | ConvertFrom-Json).url | Should -Be 'https://example.com'
        }

        It 'gives the output as ConvertFrom-Json does: PSCustomObjects, nested, shown the same way' {
            $invocation = Invoke-KernelAction -AppName page-title -ActionName health -Payload @{ customer = @{ name = 'Ada'; tier = 'gold' } }

            $invocation.Output | Should -BeOfType System.Management.Automation.PSCustomObject
            $invocation.Output.payload.customer | Should -BeOfType System.Management.Automation.PSCustomObject
            ($invocation.Output | Format-List | Out-String) | Should -Be ($invocation.OutputJson | ConvertFrom-Json | Format-List | Out-String)
            ($invocation.Output | Out-String) | Should -Not -Match 'Key|Value|System\.Collections'
        }

        It 'sends a JSON string payload as it is and refuses one that is not JSON' {
            (Invoke-KernelAction page-title health -Payload '{"deep":{"x":[1,2]}}').Output.payload.deep.x | Should -Be @(1, 2)
            { Invoke-KernelAction page-title health -Payload 'not json' -ErrorAction Stop } |
                Should -Throw -ErrorId 'InvalidPayload,Kernel.PowerShell.Cmdlets.InvokeKernelActionCommand'
        }

        It 'takes the app and version from Get-KernelApp through the pipeline' {
            (Get-KernelApp -Name page-title | Invoke-KernelAction -ActionName health).Status | Should -Be 'succeeded'
            ((Get-KernelApp -Name page-title).Actions | Where-Object Name -EQ health | Invoke-KernelAction).ActionName | Should -Be 'health'
        }

        It 'returns at once with -Async, and follows with -Wait or Wait-KernelInvocation' {
            $queued = Invoke-KernelAction page-title health -Async
            $queued.Status | Should -BeIn @('queued', 'running')

            ($queued | Wait-KernelInvocation -InformationVariable info).Status | Should -Be 'succeeded'
            ($info | Where-Object Tags -Contains KernelLog).MessageData.Message | Should -Contain "Action 'health' succeeded"
            (Invoke-KernelAction page-title health -Async -Wait).Status | Should -Be 'succeeded'
        }

        It 'reports a failed invocation as an error carrying the invocation' {
            $script = @{ action_name = 'health'; status = 'failed'; output = '{"error":"boom"}'; times = 2 } | ConvertTo-Json
            Invoke-RestMethod -Method Post "$control/scripts/invocation-results" -ContentType application/json -Body $script

            Invoke-KernelAction page-title health -ErrorAction SilentlyContinue -ErrorVariable sync | Should -BeNullOrEmpty
            Invoke-KernelAction page-title health -Async | Wait-KernelInvocation -ErrorAction SilentlyContinue -ErrorVariable waited | Should -BeNullOrEmpty

            foreach ($failure in $sync[0], $waited[0]) {
                $failure.FullyQualifiedErrorId | Should -BeLike 'InvocationFailed,*'
                $failure.TargetObject.Status | Should -Be 'failed'
                $failure.Exception.Message | Should -Match 'boom'
            }
        }

        It 'gets invocations by id and lists them with filters and paging' {
            $one = Invoke-KernelAction page-title health
            Invoke-KernelAction page-title get-page-title -Payload @{ url = 'a.example' } | Out-Null

            (Get-KernelInvocation -Id $one.Id).ActionName | Should -Be 'health'
            @(Get-KernelInvocation -AppName page-title).Count | Should -Be 2
            @(Get-KernelInvocation -ActionName health -Status succeeded -Since (New-TimeSpan -Minutes 5)).Id | Should -Be @($one.Id)
            @(Get-KernelInvocation -First 1).Count | Should -Be 1
            { Get-KernelInvocation -Status done } | Should -Throw
        }

        It 'stops an invocation: failed with a cancel output, browsers deleted' {
            Invoke-RestMethod -Method Put "$control/settings" -ContentType application/json -Body '{"step_delay_ms":2000,"heartbeat_ms":5000}'
            try {
                $running = Invoke-KernelAction page-title get-page-title -Async
                Start-Sleep -Milliseconds 300

                $stopped = $running | Stop-KernelInvocation -Confirm:$false -PassThru

                $stopped.Status | Should -Be 'failed'
                $stopped.Output.error | Should -Be 'Invocation cancelled by user'
                (Invoke-RestMethod "$($emulator.BaseUri)invocations/$($running.Id)/browsers" -Headers @{
                        Authorization          = "Bearer $([System.Net.NetworkCredential]::new('', $emulator.ApiKey).Password)"
                        'X-Kernel-Project-Id' = (Get-KernelSession).ProjectId
                    }).browsers.Count | Should -Be 0
            }
            finally {
                Invoke-RestMethod -Method Put "$control/settings" -ContentType application/json -Body '{"step_delay_ms":20,"heartbeat_ms":5000}'
            }
        }

        It 'Stop-KernelInvocation -WhatIf changes nothing' {
            $done = Invoke-KernelAction page-title health
            $done | Stop-KernelInvocation -WhatIf
            (Get-KernelInvocation -Id $done.Id).Status | Should -Be 'succeeded'
        }
    }

    Context 'Sessions side by side' {
        It 'keeps two sessions with different keys and projects apart in one script and across parallel runspaces' {
            $other = Start-TestEmulator -StepDelay 0.02
            try {
                $a = Connect-Kernel -BaseUri $emulator.BaseUri -ApiKey $emulator.ApiKey -ProjectId proj-a -PassThru
                $b = Connect-Kernel -BaseUri $other.BaseUri -ApiKey $other.ApiKey -ProjectId proj-b -PassThru
                New-KernelDeployment -Path $example -EntrypointRelPath main.py -Session $a | Out-Null
                1..2 | ForEach-Object { New-KernelDeployment -Path $example -EntrypointRelPath main.py -Session $b } | Out-Null

                $counts = 1..4 | ForEach-Object -Parallel {
                    Import-Module $using:env:KERNEL_TEST_MODULE
                    $session = if ($_ % 2) { $using:a } else { $using:b }
                    [pscustomobject]@{ Uri = $session.BaseUri; Count = @(Get-KernelDeployment -Session $session).Count }
                } -ThrottleLimit 4

                $counts | Where-Object Uri -EQ $a.BaseUri | ForEach-Object Count | Should -Be @(1, 1)
                $counts | Where-Object Uri -EQ $b.BaseUri | ForEach-Object Count | Should -Be @(2, 2)
            }
            finally {
                $other | Stop-TestEmulator
            }
        }

        It 'works in the project -Project names (X-Kernel-Project), the one -ProjectId names by the same id' {
            $project = 'proj-' + [guid]::NewGuid().ToString('N').Substring(0, 8)
            Connect-Kernel -BaseUri $emulator.BaseUri -ApiKey $emulator.ApiKey -Project $project
            $created = New-KernelDeployment -Path $example -EntrypointRelPath main.py -Wait

            Connect-Kernel -BaseUri $emulator.BaseUri -ApiKey $emulator.ApiKey -ProjectId $project
            (Get-KernelDeployment).Id | Should -Be $created.Id
            (Get-KernelApp).DeploymentId | Should -Be $created.Id
        }

        It 'says to run Connect-Kernel when there is no session at all' {
            Disconnect-Kernel
            $saved = $env:KERNEL_API_KEY
            $env:KERNEL_API_KEY = $null
            try {
                { Get-KernelApp -ErrorAction Stop } | Should -Throw -ErrorId 'NotConnected,Kernel.PowerShell.Cmdlets.GetKernelAppCommand'
            }
            finally {
                $env:KERNEL_API_KEY = $saved
            }
        }
    }

    Context 'Objects and completion' {
        It 'converts every output cleanly to JSON, the session without its key' {
            $deployment = New-KernelDeployment -Path $example -EntrypointRelPath main.py -Wait
            $invocation = Invoke-KernelAction page-title health
            $key = [System.Net.NetworkCredential]::new('', $emulator.ApiKey).Password

            foreach ($object in $deployment, $invocation, (Get-KernelApp), (Get-KernelSession), @(Get-KernelDeploymentLog -Id $deployment.Id -QuietPeriod 0.5)[0]) {
                $json = $object | ConvertTo-Json -Depth 6 -WarningAction SilentlyContinue
                { $json | ConvertFrom-Json } | Should -Not -Throw
                $json | Should -Not -Match ([regex]::Escape($key))
            }
        }

        It 'completes app names, action names and ids from the session; an id''s tooltip names its app' {
            $deployment = New-KernelDeployment -Path $example -EntrypointRelPath main.py -Version 4.2 -Wait
            $invocation = Invoke-KernelAction page-title health -Version 4.2

            function Complete([string] $line) {
                # The first call may only start the fetch; the cache answers the next one.
                $null = TabExpansion2 -inputScript $line -cursorColumn $line.Length
                Start-Sleep -Milliseconds 300
                (TabExpansion2 -inputScript $line -cursorColumn $line.Length).CompletionMatches
            }

            (Complete 'Invoke-KernelAction -AppName page').CompletionText | Should -Contain 'page-title'
            (Complete 'Invoke-KernelAction -AppName page-title -ActionName h').CompletionText | Should -Be @('health')
            $deploymentMatch = Complete "Get-KernelDeployment -Id $($deployment.Id.Substring(0, 6))" | Where-Object CompletionText -EQ $deployment.Id
            $deploymentMatch.ToolTip | Should -Match '^page-title 4\.2, running, created \d{4}-\d\d-\d\d \d\d:\d\d$'
            (Complete "Wait-KernelInvocation -Id $($invocation.Id.Substring(0, 6))" | Where-Object CompletionText -EQ $invocation.Id).ToolTip |
                Should -Match '^page-title/health 4\.2, succeeded, started \d{4}-\d\d-\d\d \d\d:\d\d$'
            (Complete 'New-KernelDeployment -Region ').CompletionText | Should -Be @('aws.us-east-1a')
        }

        It 'answers completion within about 250 ms even when the API hangs' {
            $silent = [System.Net.Sockets.TcpListener]::new([ipaddress]::Loopback, 0)
            $silent.Start()
            try {
                Connect-Kernel -BaseUri "http://127.0.0.1:$($silent.LocalEndpoint.Port)/" -ApiKey (ConvertTo-SecureString 'sk_x' -AsPlainText -Force) -SkipVerify
                $line = 'Invoke-KernelAction -AppName '
                $elapsed = Measure-Command { $result = TabExpansion2 -inputScript $line -cursorColumn $line.Length }
                $elapsed.TotalMilliseconds | Should -BeLessThan 1500
                $result.CompletionMatches.Count | Should -Be 0
            }
            finally {
                $silent.Stop()
            }
        }
    }
}
