# The module's help: every exported cmdlet has a synopsis, a description, at least two examples and a description
# of every parameter, as Get-Help shows them from the converted MAML; the markdown in docs/en-US documents
# exactly the parameters the code has, with the code's metadata; about_Kernel resolves; and the examples run as
# written against the local emulator.
#
# The converted help must be in place: tools/Build-Help.ps1 -DocsPath docs/en-US -ModulePath <staged psd1>
# -OutputPath <staged module folder>/en-US, run after staging.

BeforeDiscovery {
    $manifest = if ($env:KERNEL_TEST_MODULE) { $env:KERNEL_TEST_MODULE } else { Join-Path $PSScriptRoot '../../out/Kernel/Kernel.psd1' }
    $cmdlets = @((Import-PowerShellDataFile -LiteralPath $manifest).CmdletsToExport)
}

BeforeAll {
    $manifest = if ($env:KERNEL_TEST_MODULE) { $env:KERNEL_TEST_MODULE } else { Join-Path $PSScriptRoot '../../out/Kernel/Kernel.psd1' }
    $module = Import-Module $manifest -Force -PassThru | Where-Object { $_.ExportedCmdlets.Count } | Select-Object -First 1
    $repository = (Resolve-Path (Join-Path $PSScriptRoot '../..')).ProviderPath
    $docs = Join-Path $repository 'docs/en-US'
    $converter = Join-Path $repository 'tools/Build-Help.ps1'
    # The converter's own functions, in a module of their own: the markdown is read here exactly as it is converted.
    $helpTools = New-Module -Name KernelHelpTools -ScriptBlock ([scriptblock]::Create([IO.File]::ReadAllText($converter)))
    $metadata = @(Get-CommandHelpMetadata -Module $module)
    $common = [System.Management.Automation.PSCmdlet]::CommonParameters
    $mamlPath = Join-Path $module.ModuleBase "en-US/$(@($metadata.HelpFile | Select-Object -Unique)[0])"
    $convert = "dotnet pwsh ./tools/Build-Help.ps1 -DocsPath docs/en-US -ModulePath $manifest -OutputPath $(Join-Path $module.ModuleBase 'en-US')"
}

AfterAll {
    Remove-Module KernelHelpTools -ErrorAction Ignore
}

Describe 'The help of the Kernel module' {
    It 'has a markdown file for every exported cmdlet, and none for a cmdlet the module does not export' {
        $exported = @($module.ExportedCmdlets.Keys | Sort-Object)
        $files = @(Get-ChildItem -LiteralPath $docs -Filter *.md -File | Where-Object Name -NotLike 'about_*' | ForEach-Object BaseName | Sort-Object)

        @($exported | Where-Object { $_ -notin $files }) | Should -BeNullOrEmpty -Because "each cmdlet needs docs/en-US/<name>.md (tools/Build-Help.ps1 -UpdateMarkdown writes a skeleton)"
        @($files | Where-Object { $_ -notin $exported }) | Should -BeNullOrEmpty -Because 'a help file for a cmdlet that is gone is stale'
    }

    It 'has well-formed markdown' {
        $problems = [System.Collections.Generic.List[string]]::new()
        foreach ($file in Get-ChildItem -LiteralPath $docs -Filter *.md -File) {
            if ($file.Name -like 'about_*') { $null = Read-AboutMarkdown $file.FullName $problems }
            else { $null = Read-CmdletMarkdown $file.FullName $problems }
        }

        $problems | Should -BeNullOrEmpty
    }

    It 'is converted to MAML where Get-Help looks for it, from the current markdown' {
        $mamlPath | Should -Exist -Because "Get-Help reads <module folder>/en-US/<the cmdlets' HelpFile>; convert with: $convert"
        $newer = @(Get-ChildItem -LiteralPath $docs -Filter *.md -File | Where-Object LastWriteTimeUtc -GT (Get-Item -LiteralPath $mamlPath).LastWriteTimeUtc)
        $newer.Name | Should -BeNullOrEmpty -Because "the markdown changed after the conversion; convert again with: $convert"
        { [xml](Get-Content -Raw -LiteralPath $mamlPath) } | Should -Not -Throw
    }

    It 'has an about_Kernel topic that Get-Help finds' {
        $text = Get-Help about_Kernel -ErrorAction Stop | Out-String

        $text | Should -Match 'SHORT DESCRIPTION'
        foreach ($subject in 'KERNEL_API_KEY', 'Retries and timeouts', '_emulator', '.gitignore', 'REDACTED', 'DeploymentFailed') {
            $text | Should -BeLike "*$subject*" -Because "about_Kernel covers sessions, retries, the emulator, ignore rules, secrets and error ids"
        }
    }
}

Describe '<_>' -ForEach $cmdlets {
    BeforeAll {
        $name = $_
        $help = Get-Help -Name $name -Full
        $command = $metadata | Where-Object Name -EQ $name
        $realParameters = @($command.Parameters | ForEach-Object Name)
        $markdown = Join-Path $docs "$name.md"
        $doc = if (Test-Path -LiteralPath $markdown) { Read-CmdletMarkdown $markdown } else { $null }
        $gaps = if ($doc) { @(Test-CmdletDoc -Doc $doc -Command $command) } else { @() }
    }

    It 'has a synopsis written for it' {
        $synopsis = "$($help.Synopsis)".Trim()

        $synopsis | Should -Not -BeNullOrEmpty
        $synopsis | Should -Not -Match "^$([regex]::Escape($name))(\s|$)" -Because 'Get-Help makes up a synopsis from the syntax when a cmdlet has no help'
        $synopsis | Should -Not -BeLike '*{{*'
    }

    It 'has a description' {
        (@($help.description | ForEach-Object Text) -join '').Trim() | Should -Not -BeNullOrEmpty
    }

    It 'has at least two examples, each with code and an explanation' {
        $examples = @($help.examples.example)

        $examples.Count | Should -BeGreaterOrEqual 2
        foreach ($example in $examples) {
            "$($example.code)".Trim() | Should -Not -BeNullOrEmpty -Because "$($example.title) needs code"
            (@($example.remarks | ForEach-Object Text) -join '').Trim() | Should -Not -BeNullOrEmpty -Because "$($example.title) needs to say what it does"
        }
    }

    It 'describes every parameter' {
        $undescribed = foreach ($parameter in $realParameters) {
            $parameterHelp = Get-Help -Name $name -Parameter $parameter -ErrorAction SilentlyContinue
            if (-not (@($parameterHelp.description | ForEach-Object Text) -join '').Trim()) { "-$parameter" }
        }

        $undescribed | Should -BeNullOrEmpty -Because "every parameter but the common ones needs a '### -Name' section in $name.md"
    }

    It 'documents exactly the parameters the cmdlet has, none missing and none stale' {
        $doc | Should -Not -BeNullOrEmpty -Because "$name needs $markdown"
        $documented = @($doc.Parameters | ForEach-Object Name)

        @($realParameters | Where-Object { $_ -notin $documented }) | Should -BeNullOrEmpty -Because "these parameters have no '### -Name' section in $name.md"
        @($documented | Where-Object { $_ -notin $realParameters }) | Should -BeNullOrEmpty -Because "these '### -Name' sections in $name.md name no parameter of the cmdlet"
    }

    It 'states the syntax, parameter metadata and defaults the code has' {
        $drift = @($gaps | Where-Object Kind -In 'Syntax', 'Metadata', 'Default' | ForEach-Object Message)

        $drift | Should -BeNullOrEmpty -Because 'tools/Build-Help.ps1 -UpdateMarkdown rewrites SYNTAX and the metadata blocks from the code'
    }

    It 'documents its inputs and its outputs' {
        @($gaps | Where-Object Kind -In 'Inputs', 'Outputs' | ForEach-Object Message) | Should -BeNullOrEmpty
        @($help.returnValues.returnValue).Count | Should -BeGreaterOrEqual 1
        @($help.inputTypes.inputType).Count | Should -BeGreaterOrEqual 1
    }

    It 'has no placeholder left' {
        @($gaps | Where-Object Kind -EQ 'Placeholder' | ForEach-Object Message) | Should -BeNullOrEmpty
    }

    It 'shows the real syntax: one entry per parameter set, with its parameters and which are required' {
        # As Get-Command sees the imported module, not as the converter read it.
        $real = foreach ($set in (Get-Command -Name $name -Module $module.Name).ParameterSets) {
            (@($set.Parameters | Where-Object Name -NotIn $common | Sort-Object Name | ForEach-Object { "$($_.Name)$(if ($_.IsMandatory) { '!' })" }) -join ' ')
        }
        $shown = foreach ($item in @($help.syntax.syntaxItem)) {
            $item.name | Should -Be $name
            (@($item.parameter | Sort-Object { $_.name } | ForEach-Object { "$($_.name)$(if ($_.required -eq 'true') { '!' })" }) -join ' ')
        }

        @($shown | Sort-Object) | Should -Be @($real | Sort-Object)
    }
}

Describe 'The examples' -Tag 'Examples' {
    BeforeAll {
        # Each cmdlet's examples run as a reader would run them: in order, in one fresh runspace whose current
        # folder is the repository's root; Example 1 starts an emulator as $emu and connects, the others continue
        # in that session. The cmdlets' runs go in parallel (they mostly wait on the emulator's steps).
        $work = foreach ($name in $module.ExportedCmdlets.Keys) {
            $markdown = Join-Path $docs "$name.md"
            $examples = if (Test-Path -LiteralPath $markdown) { @((Read-CmdletMarkdown $markdown).Examples | Select-Object Number, Code) } else { @() }
            [pscustomobject]@{ Name = $name; Examples = $examples }
        }
        $saved = @{}
        foreach ($variable in 'KERNEL_API_KEY', 'KERNEL_BASE_URL') { $saved[$variable] = [Environment]::GetEnvironmentVariable($variable) }
        try {
            $results = @($work | ForEach-Object -ThrottleLimit 4 -TimeoutSeconds 600 -Parallel {
                    $failures = [System.Collections.Generic.List[string]]::new()
                    $runspace = [runspacefactory]::CreateRunspace([initialsessionstate]::CreateDefault2())
                    $runspace.Open()
                    $shell = [powershell]::Create()
                    $shell.Runspace = $runspace
                    try {
                        $null = $shell.AddScript('param($Manifest, $Root) Import-Module $Manifest; Set-Location -LiteralPath $Root').AddArgument($using:manifest).AddArgument($using:repository).Invoke()
                        foreach ($example in $_.Examples) {
                            $shell.Commands.Clear()
                            $shell.Streams.ClearStreams()
                            $null = $shell.AddScript($example.Code)
                            $async = $shell.BeginInvoke()
                            if (-not $async.AsyncWaitHandle.WaitOne([timespan]::FromSeconds(120))) {
                                $shell.Stop()
                                $failures.Add("Example $($example.Number) did not finish within 120 s")
                                break
                            }
                            try {
                                $null = $shell.EndInvoke($async)
                            }
                            catch {
                                $failures.Add("Example $($example.Number) threw: $($_.Exception.InnerException.Message ?? $_.Exception.Message)")
                                continue
                            }
                            foreach ($record in $shell.Streams.Error) {
                                $failures.Add("Example $($example.Number) wrote an error: $($record.FullyQualifiedErrorId): $record")
                            }
                        }
                    }
                    catch {
                        $failures.Add("The examples could not run: $_")
                    }
                    finally {
                        $shell.Commands.Clear()
                        $null = $shell.AddScript('Disconnect-Kernel -Confirm:$false -ErrorAction Ignore; Stop-KernelEmulator -Confirm:$false -ErrorAction Ignore').Invoke()
                        $shell.Dispose()
                        $runspace.Dispose()
                    }
                    [pscustomobject]@{ Name = $_.Name; Count = $_.Examples.Count; Failures = $failures.ToArray() }
                })
        }
        finally {
            foreach ($variable in $saved.Keys) { [Environment]::SetEnvironmentVariable($variable, $saved[$variable]) }
        }
    }

    It 'of <_> run as written against the emulator' -ForEach $cmdlets {
        $result = $results | Where-Object Name -EQ $_

        $result | Should -Not -BeNullOrEmpty -Because 'every cmdlet''s examples were run'
        $result.Count | Should -BeGreaterOrEqual 2
        $result.Failures | Should -BeNullOrEmpty
    }
}
