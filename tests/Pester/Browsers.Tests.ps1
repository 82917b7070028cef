# Browsers, profiles, proxies, replays, extensions and pools the way an admin's runbook uses them, against the
# emulator (behind Prism in the conformance pass, which validates every request and answer of these routes).
Describe 'Browsers, profiles, proxies, replays, extensions and pools' {
    BeforeAll {
        Import-Module $env:KERNEL_TEST_MODULE -Force
        . (Join-Path $PSScriptRoot 'TestHelpers.ps1')
        $emulator = Start-TestEmulator -StepDelay 0.02
        $control = "$($emulator.BaseUri)_emulator"
        $scratch = Join-Path ([IO.Path]::GetTempPath()) "kernel-pester-$([guid]::NewGuid().ToString('N'))"
        New-Item -ItemType Directory $scratch | Out-Null
        $hello = (Resolve-Path (Join-Path $PSScriptRoot '../../examples/hello-extension')).ProviderPath
    }

    BeforeEach {
        Connect-Kernel -BaseUri $emulator.BaseUri -ApiKey $emulator.ApiKey -ProjectId ("proj-" + [guid]::NewGuid().ToString('N').Substring(0, 8))
    }

    AfterAll {
        Disconnect-Kernel
        $emulator | Stop-TestEmulator
        Remove-Item -Recurse -Force -LiteralPath $scratch -ErrorAction Ignore
    }

    Context 'Browsers' {
        It 'starts browsers with every setting and finds them by id, name, tag and status' {
            New-KernelProfile shop | Out-Null
            New-KernelProxy residential eu -Country DE -City berlin | Out-Null
            $browser = New-KernelBrowser -Name job-1 -Tag @{ job = 'nightly' } -Profile shop -SaveProfileChanges -Proxy eu -Stealth -Timeout 5m -Viewport 1280x800@60 -Kiosk -StartUrl https://example.com
            New-KernelBrowser -Headless -Tag @{ job = 'daily' } | Out-Null

            $browser | Should -BeOfType Kernel.PowerShell.KernelBrowser
            $browser.Profile.Name | Should -Be 'shop'
            $browser.TimeoutSeconds | Should -Be 300
            "$($browser.Viewport)" | Should -Be '1280x800@60'
            $browser.CdpWsUrl | Should -BeOfType System.Security.SecureString
            (Get-KernelBrowser -Id $browser.Id).Name | Should -Be 'job-1'
            (Get-KernelBrowser job-*).Id | Should -Be $browser.Id
            (Get-KernelBrowser -Tag @{ job = 'nightly' }).Id | Should -Be $browser.Id
            @(Get-KernelBrowser).Count | Should -Be 2
            @(Get-KernelBrowser -First 1).Count | Should -Be 1
            (Get-KernelBrowser -Query job-1).Id | Should -Be $browser.Id
        }

        It 'ends the browsers a tag finds, with -Force and no question, and keeps the ended ones listable' {
            1..3 | ForEach-Object { New-KernelBrowser -Tag @{ job = 'nightly' } -Headless } | Out-Null
            $keeper = New-KernelBrowser -Name keeper

            Get-KernelBrowser -Tag @{ job = 'nightly' } | Remove-KernelBrowser -Force

            (Get-KernelBrowser).Id | Should -Be $keeper.Id
            @(Get-KernelBrowser -Status Deleted).Count | Should -Be 3
            (Get-KernelBrowser -Status Deleted)[0].DeletedAt | Should -Not -BeNullOrEmpty
            (Get-KernelBrowser -Id (Get-KernelBrowser -Status Deleted)[0].Id -IncludeDeleted).Status | Should -Be 'deleted'
        }

        It 'saves a profile from a browser piped one from New-KernelProfile, when the browser ends' {
            $browser = New-KernelProfile login | New-KernelBrowser -SaveProfileChanges

            (Get-KernelProfile login).UpdatedAt | Should -BeNullOrEmpty
            $browser | Remove-KernelBrowser -Force

            (Get-KernelProfile login).UpdatedAt | Should -Not -BeNullOrEmpty
            $file = Save-KernelProfile login -Destination $scratch -Format tar -Force -PassThru
            $file.Name | Should -Be 'login.tar'
            [Text.Encoding]::ASCII.GetString([IO.File]::ReadAllBytes($file.FullName), 257, 5) | Should -Be 'ustar'
        }

        It 'routes a browser through a proxy piped from Get-KernelProxy' {
            $proxy = New-KernelProxy isp eu -Country GB

            (Get-KernelProxy -Name eu | New-KernelBrowser -Headless).ProxyId | Should -Be $proxy.Id
        }

        It 'gives the browsers of an invocation piped from Get-KernelInvocation' {
            New-KernelDeployment -Path (Join-Path $PSScriptRoot '../../examples/page-title') -EntrypointRelPath main.py -Wait | Out-Null
            $invocation = Invoke-KernelAction page-title health
            $attached = New-KernelBrowser -InvocationId $invocation.Id -Headless

            (Get-KernelInvocation -Id $invocation.Id | Get-KernelBrowser).Id | Should -Be $attached.Id
        }

        It 'changes a running browser and says so with -PassThru' {
            New-KernelBrowser -Name before -Tag @{ a = '1' } | Out-Null

            $after = Set-KernelBrowser -Name before -NewName after -Tag @{ b = '2' } -Viewport 1920x1080 -PassThru

            $after.Name | Should -Be 'after'
            $after.Tags.Keys | Should -Be @('b')
        }

        It 'refuses a name two proxies share, an unknown profile, and only warns for a browser already gone' {
            New-KernelProxy datacenter twin | Out-Null
            New-KernelProxy isp twin | Out-Null
            $gone = New-KernelBrowser
            $gone | Remove-KernelBrowser -Force

            { New-KernelBrowser -Proxy twin -ErrorAction Stop } | Should -Throw -ErrorId 'AmbiguousName,Kernel.PowerShell.Cmdlets.NewKernelBrowserCommand'
            { New-KernelBrowser -Profile nobody -ErrorAction Stop } | Should -Throw -ErrorId 'ApiNotFound,Kernel.PowerShell.Cmdlets.NewKernelBrowserCommand'
            { Get-KernelBrowser -Name nobody -ErrorAction Stop } | Should -Throw -ErrorId 'NameNotFound,Kernel.PowerShell.Cmdlets.GetKernelBrowserCommand'
            Remove-KernelBrowser -Id $gone.Id -Force -WarningVariable warnings -ErrorVariable errors
            $warnings.Message | Should -Match 'not found'
            $errors | Should -BeNullOrEmpty
            @(Get-KernelBrowser).Count | Should -Be 0
        }

        It 'asks before ending a browser, as a high-impact change, and -WhatIf ends nothing' {
            $browser = New-KernelBrowser
            [System.Management.Automation.CommandMetadata]::new((Get-Command Remove-KernelBrowser)).ConfirmImpact | Should -Be 'High'

            $browser | Remove-KernelBrowser -Force -WhatIf

            (Get-KernelBrowser -Id $browser.Id).Status | Should -Be 'active'
        }
    }

    Context 'Replays' {
        It 'records, stops and saves a replay as an MP4 with the browser piped in' {
            $browser = New-KernelBrowser -Name recorded
            $replay = $browser | Start-KernelBrowserReplay -MaxDuration 10m

            $replay.Status | Should -Be 'recording'
            ($browser | Stop-KernelBrowserReplay -PassThru).Status | Should -Be 'finished'
            $file = Get-KernelBrowserReplay recorded | Save-KernelBrowserReplay -Destination $scratch -Force -PassThru
            $file.Name | Should -Be "$($replay.ReplayId).mp4"
            [Text.Encoding]::ASCII.GetString([IO.File]::ReadAllBytes($file.FullName), 4, 4) | Should -Be 'ftyp'
        }

        It 'waits for a replay that is still recording, up to -Timeout' {
            $browser = New-KernelBrowser
            $replay = $browser | Start-KernelBrowserReplay

            { $replay | Save-KernelBrowserReplay -Destination $scratch -Timeout 1 -ErrorAction Stop } |
                Should -Throw -ErrorId 'DownloadNotReady,Kernel.PowerShell.Cmdlets.SaveKernelBrowserReplayCommand'
            Get-ChildItem -LiteralPath $scratch -Filter "*$($replay.ReplayId)*" -Force | Should -BeNullOrEmpty
        }
    }

    Context 'Profiles and proxies' {
        It 'creates, renames, lists and removes profiles' {
            'alpha', 'beta' | New-KernelProfile | Out-Null

            Rename-KernelProfile -Name alpha -NewName gamma
            (Get-KernelProfile).Name | Sort-Object | Should -Be @('beta', 'gamma')
            Get-KernelProfile -Name g* | Remove-KernelProfile -Force
            (Get-KernelProfile).Name | Should -Be 'beta'
        }

        It 'creates each type of proxy with the settings it takes, tests, renames and removes them' {
            $password = ConvertTo-SecureString 'pw-not-shown' -AsPlainText -Force
            $custom = New-KernelProxy custom corp -HostName proxy.example.com -Port 3128 -Credential ([pscredential]::new('alice', $password)) -BypassHost intranet.example.com
            New-KernelProxy mobile -Country US -State CA | Out-Null

            $custom.HasPassword | Should -BeTrue
            $custom.UserName | Should -Be 'alice'
            $custom.BypassHosts | Should -Be @('intranet.example.com')
            (Test-KernelProxy -Id $custom.Id).Status | Should -Be 'available'
            Test-KernelProxy -Name corp -Url https://example.com -Quiet | Should -BeTrue
            (Set-KernelProxy -Id $custom.Id -NewName corp-2 -PassThru).Name | Should -Be 'corp-2'
            (Get-KernelProxy -Type mobile).Country | Should -Be 'US'
            { New-KernelProxy datacenter -City berlin -ErrorAction Stop } | Should -Throw -ErrorId 'InvalidProxySettings,Kernel.PowerShell.Cmdlets.NewKernelProxyCommand'
            Get-KernelProxy | Remove-KernelProxy -Force
            Get-KernelProxy | Should -BeNullOrEmpty
        }
    }

    Context 'Listing' {
        It 'asks the API for the proxies -Query finds, by name, host or id, and pages them with -First and -Skip' {
            $eu = 'eu-1', 'eu-2', 'eu-3' | ForEach-Object { New-KernelProxy datacenter $_ }
            New-KernelProxy custom corp -HostName eu-gateway.example.com -Port 3128 | Out-Null
            New-KernelProxy isp us | Out-Null

            $found = Get-KernelProxy -Query eu
            $byId = Get-KernelProxy -Query $eu[1].Id
            $paged = Get-KernelProxy -Query eu -Skip 1 -First 2

            $found.Name | Sort-Object | Should -Be @('corp', 'eu-1', 'eu-2', 'eu-3')
            $byId.Name | Should -Be 'eu-2'
            $paged.Id | Should -Be @($found[1].Id, $found[2].Id)
            $project = (Get-KernelSession).ProjectId
            $lists = @(Get-KernelEmulatorJournal -Emulator $emulator.Emulator -Method GET -Path /proxies | Where-Object { $_.Headers['X-Kernel-Project-Id'] -eq $project })
            $lists.Count | Should -Be 3
            $lists | ForEach-Object { $_.Query | Should -Match 'query=' }
        }

        It 'writes an unknown total count before the profiles with -IncludeTotalCount' {
            'one', 'two' | New-KernelProfile | Out-Null

            $listed = @(Get-KernelProfile -IncludeTotalCount)

            $listed.Count | Should -Be 3
            $listed[0].ToString() | Should -Be 'Unknown total count'
            $listed[1..2].Name | Sort-Object | Should -Be @('one', 'two')
        }
    }

    Context 'Extensions' {
        It 'publishes a folder, lists it, loads it into a browser and gives the same bytes back' {
            $extension = Publish-KernelExtension $hello -Name hello

            $extension | Should -BeOfType Kernel.PowerShell.KernelExtension
            (Get-KernelExtension hel*).Id | Should -Be $extension.Id
            $file = Save-KernelExtension hello -Destination $scratch -Force -PassThru
            (Get-FileHash -Algorithm SHA256 -LiteralPath $file.FullName).Hash | Should -Be $extension.Checksum
            (New-KernelBrowser -Extension hello -Headless) | Should -BeOfType Kernel.PowerShell.KernelBrowser
            (Get-KernelExtension -Id $extension.Id).LastUsedAt | Should -Not -BeNullOrEmpty
            Get-KernelExtension hello | Remove-KernelExtension -Force
            Get-KernelExtension | Should -BeNullOrEmpty
        }

        It 'publishes a ready zip, and a Chrome Web Store one' {
            $zip = Save-KernelExtension -ChromeWebStoreId cjpalhdlnbpafiamejdnhcphjbkeiagm -Destination $scratch -Force -PassThru

            (Publish-KernelExtension -LiteralPath $zip.FullName -Name ublock).SizeBytes | Should -Be $zip.Length
        }

        It 'refuses a folder without a manifest and an unknown extension before anything is created' {
            $folder = New-TestApp @{ 'inner/manifest.json' = '{}' }
            try {
                { Publish-KernelExtension $folder -ErrorAction Stop } | Should -Throw -ErrorId 'ManifestNotFound,Kernel.PowerShell.Cmdlets.PublishKernelExtensionCommand'
                { New-KernelBrowser -Extension nosuch -ErrorAction Stop } | Should -Throw -ErrorId 'ApiNotFound,Kernel.PowerShell.Cmdlets.NewKernelBrowserCommand'
                Get-KernelExtension | Should -BeNullOrEmpty
                Get-KernelBrowser | Should -BeNullOrEmpty
            }
            finally {
                Remove-Item -Recurse -Force -LiteralPath $folder
            }
        }
    }

    Context 'Pools' {
        BeforeEach {
            New-KernelBrowserPool shop -Size 2 -FillRate 25 -Headless -Timeout 5m | Out-Null
        }

        It 'takes a browser, uses it and gives it back in finally, as a runbook does' {
            $browser = Lock-KernelBrowser -Pool shop -Timeout 30s -ErrorAction Stop
            try {
                $browser.PoolName | Should -Be 'shop'
                (Get-KernelBrowserPool shop).AcquiredCount | Should -Be 1
            }
            finally {
                $browser | Unlock-KernelBrowser
            }

            (Get-KernelBrowserPool shop).AcquiredCount | Should -Be 0
            (Get-KernelBrowser -Id $browser.Id -IncludeDeleted).Status | Should -Be 'deleted'
        }

        It 'says clearly when no browser came free in time, and when a browser is not the pool''s' {
            $first = Lock-KernelBrowser shop -Timeout 30s
            $second = Lock-KernelBrowser shop -Timeout 30s
            $own = New-KernelBrowser -Headless

            { Lock-KernelBrowser shop -Timeout 1 -ErrorAction Stop } | Should -Throw -ErrorId 'NoBrowserAvailable,Kernel.PowerShell.Cmdlets.LockKernelBrowserCommand'
            { $own | Unlock-KernelBrowser -ErrorAction Stop } | Should -Throw -ErrorId 'BrowserNotLeased,Kernel.PowerShell.Cmdlets.UnlockKernelBrowserCommand'
            $first, $second | Unlock-KernelBrowser -Reuse
            $null | Unlock-KernelBrowser
            (Get-KernelBrowserPool shop).AcquiredCount | Should -Be 0
        }

        It 'changes, flushes and removes a pool, only with -Force while a browser is taken' {
            $taken = Lock-KernelBrowser shop -Timeout 30s

            (Set-KernelBrowserPool -Name shop -Size 3 -Stealth -PassThru).Size | Should -Be 3
            (Clear-KernelBrowserPool -Name shop -Confirm:$false -PassThru).AcquiredCount | Should -Be 1
            { Remove-KernelBrowserPool -Name shop -Confirm:$false -ErrorAction Stop } | Should -Throw -ErrorId 'ApiBadRequest,Kernel.PowerShell.Cmdlets.RemoveKernelBrowserPoolCommand'
            Remove-KernelBrowserPool -Name shop -Force -WhatIf
            @(Get-KernelBrowserPool).Count | Should -Be 1
            Remove-KernelBrowserPool -Name shop -Force
            Get-KernelBrowserPool | Should -BeNullOrEmpty
            (Get-KernelBrowser -Id $taken.Id -IncludeDeleted).Status | Should -Be 'deleted'
        }
    }

    Context 'Secrets and views' {
        It 'never writes the proxy password or a URL''s token to a transcript, the streams, $Error or JSON' {
            $transcript = Join-Path $scratch 'transcript.txt'
            $password = 'pw-transcript-secret'
            $Error.Clear()
            Start-Transcript -LiteralPath $transcript | Out-Null
            try {
                $DebugPreference = 'Continue'
                $VerbosePreference = 'Continue'
                $proxy = New-KernelProxy custom corp -HostName proxy.example.com -Port 8080 -UserName bob -Password (ConvertTo-SecureString $password -AsPlainText -Force)
                $browser = New-KernelBrowser -Name secretive -Proxy $proxy.Id
                $replay = $browser | Start-KernelBrowserReplay
                $browser, $proxy, $replay | Format-List | Out-Host
                $browser, $proxy, $replay | Format-Table | Out-Host
                $browser, $proxy, $replay | ConvertTo-Json -Depth 5 | Out-Host
                Get-KernelBrowser -Id nosuch -ErrorAction SilentlyContinue
                $Error | Out-Host
            }
            finally {
                $DebugPreference = 'SilentlyContinue'
                $VerbosePreference = 'SilentlyContinue'
                Stop-Transcript | Out-Null
            }
            $token = ($browser.CdpWsUrl | ConvertFrom-SecureString -AsPlainText) -replace '^.*jwt=', ''
            $text = Get-Content -Raw -LiteralPath $transcript

            $token | Should -Match '^[\w-]+\.[\w-]+\.[\w-]+$'
            $text | Should -Match 'cdp\?jwt=REDACTED'
            $text | Should -Match 'live\?jwt=REDACTED'
            $text.Contains($token) | Should -BeFalse
            $text.Contains($token.Split('.')[2]) | Should -BeFalse
            $text.Contains($password) | Should -BeFalse
        }
    }
}
