# Every view of every type the module writes, as a user sees it in a terminal of 80 and of 160 columns (the console
# host formats to one column less than the window, so they are rendered at 79 and 159): realistic
# data (a long app name, a long version, a long entrypoint, failed rows), each view rendered with Out-String, and
# nothing cut, no line too long, no table column empty in every row, one date format, no secret and no raw map.
BeforeDiscovery {
    # The types the tests below render; the first test proves the list is every type the module has a view for.
    $typeNames = 'KernelDeployment', 'KernelApp', 'KernelAppAction', 'KernelInvocation', 'KernelLogEntry', 'KernelSession',
        'KernelEmulator', 'KernelEmulatorFault', 'KernelEmulatorRequest', 'KernelBrowser', 'KernelBrowserReplay', 'KernelProfile', 'KernelProxy',
        'KernelExtension', 'KernelBrowserPool'
}

Describe 'Views' {
    BeforeAll {
        Import-Module $env:KERNEL_TEST_MODULE -Force
        . (Join-Path $PSScriptRoot 'TestHelpers.ps1')
        $emulator = Start-TestEmulator -StepDelay 0.02
        Connect-Kernel -BaseUri $emulator.BaseUri -ApiKey $emulator.ApiKey -ProjectId ('proj-' + [guid]::NewGuid().ToString('N').Substring(0, 8))

        # The columns of a table as Out-String wrote it, by the dashes under the headers; nothing for a list.
        function Get-TableColumn([string[]] $Lines) {
            $dashes = [array]::FindIndex($Lines, [Predicate[string]] { param($l) $l -match '^-+( +-+)*\s*$' })
            if ($dashes -lt 1) { return }
            $columns = @(foreach ($match in [regex]::Matches($Lines[$dashes], '-+')) {
                [pscustomobject]@{ Name = $Lines[$dashes - 1].Substring($match.Index, [Math]::Min($match.Length, $Lines[$dashes - 1].Length - $match.Index)).Trim(); Start = $match.Index }
            })
            for ($i = 0; $i -lt $columns.Count; $i++) {
                $end = if ($i + 1 -lt $columns.Count) { $columns[$i + 1].Start } else { [int]::MaxValue }
                $values = foreach ($line in $Lines[($dashes + 1)..($Lines.Count - 1)]) {
                    if ($line.Length -gt $columns[$i].Start) { $line.Substring($columns[$i].Start, [Math]::Min($end, $line.Length) - $columns[$i].Start).Trim() }
                }
                $columns[$i] | Add-Member Values @($values | Where-Object { $_ })
            }
            $columns
        }

        # What no rendering may show: a cut value, a date other than yyyy-MM-dd, a secret's type name, a map as pairs.
        function Assert-Readable([string] $Text, [int] $Width, [string] $Because) {
            @($Text -split "`r?`n" | Where-Object Length -GT $Width) | Should -BeNullOrEmpty -Because "no line is longer than $Width ($Because)"
            $Text | Should -Not -Match '…|\.\.\.' -Because "no value is cut ($Because)"
            $Text | Should -Not -Match '\d{1,2}/\d{1,2}/\d{2,4}|(?<![\d.])\d{1,2}\.\d{1,2}\.\d{4}\b|[+-]\d\d:\d\d\b' -Because "times are written one way, yyyy-MM-dd HH:mm, local ($Because)"
            $Text | Should -Not -Match 'System\.Security\.SecureString|System\.Collections|\{\[' -Because "no secret's type name and no map as [key, value] pairs ($Because)"
        }

        # Realistic data: the example app, an app with a long name, version and entrypoint, a build that fails.
        $long = New-TestApp @{ 'src/agents/checkout/entrypoints/main_handler.py' = "import kernel`napp = kernel.App(`"very-long-application-name-for-checkout-agents`")`n@app.action(`"summarize-order-history`")`nasync def a(ctx, i): pass`n@app.action(`"refund`")`nasync def b(ctx, i): pass`n" }
        $broken = New-TestApp @{ 'main.py' = "import kernel`napp = kernel.App(`"broken-build`")`n" }
        $example = Join-Path $PSScriptRoot '../../examples/page-title'
        $null = New-KernelDeployment -Path $example -EntrypointRelPath main.py -Version 1.0.0 -EnvVars @{ GREETING = 'hi' } -Wait
        $null = New-KernelDeployment -Path $long -EntrypointRelPath src/agents/checkout/entrypoints/main_handler.py -Version 2026.12.01-rc.1+build.4711 -EnvVars @{ DB_PASSWORD = 'x'; API_TOKEN = 'y' } -Wait
        Set-KernelEmulatorOutcome -DeploymentFailure 'pip install failed: No matching distribution found for playwright==9.9' -AppName broken-build
        $null = New-KernelDeployment -Path $broken -EntrypointRelPath main.py -Wait -ErrorAction SilentlyContinue
        $null = Invoke-KernelAction page-title health -Version 1.0.0
        Set-KernelEmulatorOutcome -InvocationStatus succeeded -AppName very-long-application-name-for-checkout-agents -Output '{"orders":[{"id":1,"total":12.5}],"customer":{"name":"Ada"}}'
        $null = Invoke-KernelAction very-long-application-name-for-checkout-agents summarize-order-history -Version 2026.12.01-rc.1+build.4711 -Payload @{ customer = 42 }
        Set-KernelEmulatorOutcome -InvocationStatus failed -AppName page-title -Output '{"error":"Timeout 30000ms exceeded while waiting for navigation"}'
        $null = Invoke-KernelAction page-title get-page-title -Version 1.0.0 -Payload @{ url = 'https://slow.example' } -ErrorAction SilentlyContinue
        New-KernelProfile checkout-login-for-nightly-runs | Out-Null
        New-KernelProfile | Out-Null
        New-KernelProxy custom corp -HostName proxy.internal.example.com -Port 3128 -UserName alice | Out-Null
        New-KernelProxy datacenter | Out-Null
        New-KernelProxy residential eu -Country DE -City berlin -Zip 10115 | Out-Null
        $browser = New-KernelBrowser -Name nightly-checkout-run-2026-12-01 -Profile checkout-login-for-nightly-runs -Proxy eu -Tag @{ job = 'nightly'; team = 'growth' } -Stealth -Viewport 1280x800
        New-KernelBrowser -Headless | Out-Null
        $browser | Start-KernelBrowserReplay | Out-Null
        $browser | Stop-KernelBrowserReplay
        $browser | Start-KernelBrowserReplay | Out-Null
        $hello = Join-Path $PSScriptRoot '../../examples/hello-extension'
        Publish-KernelExtension $hello -Name hello | Out-Null
        Publish-KernelExtension $hello -Name a-much-longer-extension-name-to-see-it-whole | Out-Null
        Publish-KernelExtension $hello | Out-Null
        New-KernelBrowserPool nightly-checkout-pool -Size 2 -Headless -Stealth -Profile checkout-login-for-nightly-runs -Proxy eu -Extension hello -Viewport 1280x800 | Out-Null
        New-KernelBrowserPool -Size 1 | Out-Null
        $failedDeployment = Get-KernelDeployment | Where-Object Status -EQ failed | Select-Object -First 1

        $samples = @{
            KernelDeployment      = @(Get-KernelDeployment)
            KernelApp             = @(Get-KernelApp)
            KernelAppAction       = @((Get-KernelApp).Actions)
            KernelInvocation      = @(Get-KernelInvocation)
            KernelLogEntry        = @(Get-KernelDeploymentLog -Id $failedDeployment.Id -QuietPeriod 0.5)
            KernelSession         = @(Get-KernelSession)
            KernelEmulator        = @($emulator.Emulator; [Kernel.PowerShell.KernelEmulator]@{ BaseUri = 'http://127.0.0.1:5000' })
            KernelEmulatorFault   = @(
                Add-KernelEmulatorFault -Path /deployments/*/events -Kind ErrorEvent -Code internal_error -Message 'the build log stream broke' -AfterEvents 3 -Times 0 -PassThru
                Add-KernelEmulatorFault -Path /apps -Method GET -StatusCode 429 -RetryAfter 2 -PassThru)
            KernelEmulatorRequest = @(Get-KernelEmulatorJournal | Select-Object -Last 6)
            KernelBrowser         = @(Get-KernelBrowser)
            KernelBrowserReplay   = @(Get-KernelBrowserReplay $browser)
            KernelProfile         = @(Get-KernelProfile)
            KernelProxy           = @(Get-KernelProxy)
            KernelExtension       = @(Get-KernelExtension)
            KernelBrowserPool     = @(Get-KernelBrowserPool)
        }
        Clear-KernelEmulatorFault

        # The column labels of each type's table view, as the format data declares them.
        $tableLabels = @{}
        foreach ($name in $samples.Keys) {
            $table = (Get-FormatData -TypeName "Kernel.PowerShell.$name" -PowerShellVersion $PSVersionTable.PSVersion).FormatViewDefinition |
                Where-Object { $_.Control -is [System.Management.Automation.TableControl] } | Select-Object -First 1
            $tableLabels[$name] = @($table.Control.Headers.Label)
        }
    }

    AfterAll {
        Disconnect-Kernel
        $emulator | Stop-TestEmulator
        Remove-Item -Recurse -Force -LiteralPath $long, $broken -ErrorAction Ignore
    }

    It 'covers every type the module has a view for, and gives each a default display set' {
        $withViews = (Get-FormatData -TypeName 'Kernel.PowerShell.*').TypeNames -replace '^Kernel\.PowerShell\.' | Sort-Object -Unique

        $withViews | Where-Object { $_ -notin $samples.Keys } | Should -BeNullOrEmpty
        $withViews | Where-Object { -not (Get-TypeData "Kernel.PowerShell.$_").DefaultDisplayPropertySet } | Should -BeNullOrEmpty -Because 'Kernel.Types.ps1xml names what shows of each type out of its own table'
    }

    It 'shows <_> at 80 and 160 columns whole, each way it can be shown' -ForEach $typeNames {
        $objects = $samples[$_]
        $objects | Should -Not -BeNullOrEmpty -Because "the sample has $_ objects"
        foreach ($width in 79, 159) {
            foreach ($view in 'Default', 'Table', 'List') {
                $text = if ($view -eq 'Default') { $objects | Out-String -Width $width } else { $objects | & "Format-$view" | Out-String -Width $width }

                Assert-Readable $text $width "$_ as $view at $width columns"
                $columns = @(Get-TableColumn ($text -split "`r?`n"))
                foreach ($column in $columns) {
                    $column.Values | Should -Not -BeNullOrEmpty -Because "column $($column.Name) of the $_ table at $width columns has a value in some row"
                }
                if ($view -eq 'Table') {
                    # A table too wide for the window loses its last columns without a sign: every column must be there.
                    $columns.Name | Should -Be $tableLabels[$_] -Because "the $_ table at $width columns shows every column of its view"
                }
            }
        }
    }

    It 'splits a last cell between its parts exactly when it would not fit on one line of an 80-column terminal' {
        # KernelView.Cell(N, ...) writes the parts of a cell one a line when the one-line form is longer than N. An N
        # larger than what the column has lets the terminal break a word (page-title latest, main.p / y); a smaller
        # one splits lines that fit.
        $checked = foreach ($formatData in Get-FormatData -TypeName 'Kernel.PowerShell.*') {
            foreach ($view in $formatData.FormatViewDefinition | Where-Object Control -Is [System.Management.Automation.TableControl]) {
                $widths = @($view.Control.Headers.Width)
                $last = @($view.Control.Rows[0].Columns)[-1].DisplayEntry.Value
                if ($last -match 'KernelView\]::Cell\((\d+)') {
                    $fixed = ($widths[0..($widths.Count - 2)] | Measure-Object -Sum).Sum + ($widths.Count - 1)
                    [pscustomobject]@{ View = $view.Name; Cell = [int]$Matches[1]; Column = 79 - $fixed }
                }
            }
        }

        $checked | Should -Not -BeNullOrEmpty
        $checked | Where-Object { $_.Cell -ne $_.Column } | ForEach-Object { "$($_.View): Cell($($_.Cell)) in a column of $($_.Column)" } |
            Should -BeNullOrEmpty
    }

    It 'writes a deployment row on one line when it fits an 80-column terminal, else one part a line, never a broken word' {
        # 'page-title latest, main.py' is 26 characters: one more than the column has at 80 columns.
        $fits = [Kernel.PowerShell.KernelDeployment]@{ Id = 'a6gvoevu7kntop3h3ftjtvrw'; Status = 'running'; EntrypointRelPath = 'main.py'; App = @{ AppName = 'page-title'; Version = '1.0' } }
        $overflows = [Kernel.PowerShell.KernelDeployment]@{ Id = 'a6gvoevu7kntop3h3ftjtvrw'; Status = 'running'; EntrypointRelPath = 'main.py'; App = @{ AppName = 'page-title'; Version = 'latest' } }

        $fits | Out-String -Width 79 | Should -Match '(?m) running +[\d-]+ [\d:]+ page-title 1\.0, main\.py$'
        $overflows | Out-String -Width 79 | Should -Match '(?m) running +[\d-]+ [\d:]+ page-title latest\r?\n +main\.py\r?\n'
    }

    It 'writes times as yyyy-MM-dd HH:mm in local time, and log lines and requests to the millisecond' {
        $deployment = $samples.KernelDeployment[0]
        $local = $deployment.CreatedAt.LocalDateTime

        ($deployment | Format-Table | Out-String) | Should -Match ([regex]::Escape($local.ToString('yyyy-MM-dd HH:mm', [cultureinfo]::InvariantCulture)))
        ($samples.KernelLogEntry | Format-Table | Out-String) | Should -Match '\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d{3} '
        ($samples.KernelEmulatorRequest | Format-Table | Out-String) | Should -Match '\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d{3} '
    }

    It 'shows a failed deployment''s reason in its row, and the app a running deployment serves' {
        $table = $samples.KernelDeployment | Format-Table | Out-String -Width 160

        $table | Should -Match "(?m)^$($failedDeployment.Id) +failed +[\d-]+ [\d:]+ main\.py\r?\n +pip install failed: No matching distribution found for playwright==9\.9\r?\n"
        $table | Should -Match '(?m) running +[\d-]+ [\d:]+ page-title 1\.0\.0, main\.py$'
        $table | Should -Match 'very-long-application-name-for-checkout-agents 2026\.12\.01-rc\.1\+build\.4711'
    }

    It 'shows env var maps as NAME= lists and tags as name=value' {
        ($samples.KernelDeployment | Format-List | Out-String) | Should -Match 'EnvVars +: API_TOKEN=, DB_PASSWORD='
        ($samples.KernelApp | Format-List | Out-String) | Should -Match 'EnvVars +: GREETING='
        ($samples.KernelBrowser | Format-List | Out-String) | Should -Match 'Tags +: job=nightly, team=growth'
    }

    It 'shows objects of two types written together each with its key properties, no secret and no ambiguous date' {
        foreach ($pair in @(
                @($samples.KernelDeployment[0], $samples.KernelInvocation[0]),
                @($samples.KernelSession[0], $samples.KernelEmulator[0]),
                @($samples.KernelBrowser[0], $samples.KernelProfile[0], $samples.KernelProxy[0], $samples.KernelBrowserReplay[0]),
                @($samples.KernelApp[0], $samples.KernelLogEntry[0], $samples.KernelEmulatorRequest[0]),
                @($samples.KernelBrowserPool[0], $samples.KernelExtension[0], $samples.KernelEmulatorFault[0]))) {
            foreach ($width in 79, 159) {
                $text = $pair | Out-String -Width $width

                Assert-Readable $text $width "$(($pair | ForEach-Object { $_.GetType().Name }) -join ' then ') at $width columns"
                $text | Should -Not -Match '(?m)^(ApiKey|CdpWsUrl|WebDriverWsUrl|LiveViewUrl|ViewUrl) +:'
            }
        }
    }
}
