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
    # The converter's own functions, in a module of their own: the markdown and the module's command metadata are
    # read here exactly as the conversion reads them.
    $helpTools = New-Module -Name KernelHelpTools -ScriptBlock { param($Path) . $Path } -ArgumentList $converter
    $metadata = @(Get-ModuleHelpMetadata $manifest)
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
        foreach ($subject in 'KERNEL_API_KEY', 'Retries and timeouts', '_emulator', '.gitignore', 'REDACTED', 'DeploymentFailed', 'no online version') {
            $text | Should -BeLike "*$subject*" -Because "about_Kernel covers sessions, retries, the emulator, ignore rules, secrets, error ids and where the help lives"
        }
    }
}

Describe 'The help converter' {
    BeforeAll {
        $scratch = Join-Path ([IO.Path]::GetTempPath()) "kernel-help-$([guid]::NewGuid().ToString('N'))"
        New-Item -ItemType Directory $scratch | Out-Null
        # A well-formed cmdlet file; each case below breaks one thing in it.
        $valid = @'
# Get-Thing

## SYNOPSIS

Gets a thing.

## SYNTAX

```
Get-Thing [-Name <string>] [<CommonParameters>]
```

## DESCRIPTION

| Kind | Meaning |
|---|---|
| a | b |

## EXAMPLES

### Example 1: Get it

```powershell
Get-Thing
```

Gets it.

## PARAMETERS

### -Name

The name.

```yaml
Type: String
```

## INPUTS

### None

Nothing.

## OUTPUTS

### None

Nothing.
'@
        function Read-Problem([string] $Text) {
            $path = Join-Path $scratch 'Get-Thing.md'
            [IO.File]::WriteAllText($path, $Text)
            $problems = [System.Collections.Generic.List[string]]::new()
            $null = Read-CmdletMarkdown $path $problems
            $problems.ToArray()
        }
    }

    AfterAll {
        Remove-Item -Recurse -Force -LiteralPath $scratch
    }

    It 'reads the well-formed file without a problem' {
        Read-Problem $valid | Should -BeNullOrEmpty
    }

    It 'names the file and line of <Case>' -ForEach @(
        @{ Case = 'a code block left open'; Find = "Get-Thing`n``````"; Replace = 'Get-Thing'; Line = 23; Problem = "the code block opened here is not closed before '## PARAMETERS' (line 28)" }
        @{ Case = 'a table row with a cell missing'; Find = '| a | b |'; Replace = '| a |'; Line = 17; Problem = 'the rows of this table have different numbers of cells' }
        @{ Case = 'an explanation before the example''s code'; Find = "Get it`n"; Replace = "Get it`n`nFirst words.`n"; Line = 23; Problem = 'an example starts with its * code block; the explanation goes after it' }
        @{ Case = 'a parameter documented twice'; Find = '## INPUTS'; Replace = "### -Name`n`nAgain.`n`n## INPUTS"; Line = 39; Problem = '-Name is documented twice' }
        @{ Case = 'a metadata line with an unknown key'; Find = 'Type: String'; Replace = 'Kind: String'; Line = 36; Problem = "not a metadata line*'Kind: String'" }
        @{ Case = 'a section the layout does not have'; Find = '## INPUTS'; Replace = "## FOOTNOTES`n`nx`n`n## INPUTS"; Line = 39; Problem = "unknown section '## FOOTNOTES'*" }
        @{ Case = 'a heading the layout does not have'; Find = 'Gets a thing.'; Replace = "#### Aside`n`nGets a thing."; Line = 5; Problem = "unexpected heading '#### Aside' here" }
    ) {
        $problems = @(Read-Problem $valid.Replace("`r`n", "`n").Replace($Find, $Replace))

        $problems | Should -HaveCount 1
        $problems[0] | Should -BeLike "$(Join-Path $scratch 'Get-Thing.md'):${Line}: $Problem"
    }

    It 'reports the drift between a cmdlet and its markdown: a missing, a stale and a misdescribed parameter' {
        $command = @($metadata | Where-Object { @($_.Parameters).Count -ge 2 })[0]
        $path = Join-Path $scratch "$($command.Name).md"
        $text = [IO.File]::ReadAllText((Join-Path $docs "$($command.Name).md")).Replace("`r`n", "`n")
        $first, $second = @($command.Parameters)[0, 1]
        $text = $text.Replace("### -$($first.Name)`n", "### -$($first.Name)Gone`n")
        $at = $text.IndexOf("### -$($second.Name)`n")
        $typeLine = $text.IndexOf("Type: $($second.TypeName)", $at)
        [IO.File]::WriteAllText($path, $text.Remove($typeLine, "Type: $($second.TypeName)".Length).Insert($typeLine, 'Type: Nonsense'))

        $gaps = @(Test-CmdletDoc -Doc (Read-CmdletMarkdown $path) -Command $command)

        ($gaps | Where-Object Kind -EQ MissingParameter).Message | Should -BeLike "*-$($first.Name) has no '### -$($first.Name)' section in $path"
        ($gaps | Where-Object Kind -EQ StaleParameter).Message | Should -BeLike "*-$($first.Name)Gone is documented in $path but the cmdlet has no such parameter"
        ($gaps | Where-Object Kind -EQ Metadata).Message | Should -BeLike "*-$($second.Name) metadata 'Type' reads 'Nonsense'; the code says '$([WildcardPattern]::Escape($second.TypeName))'*"
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

    It 'says where its help lives, and offers no online version that does not exist' {
        (Get-Command -Name $name -Module $module.Name).HelpUri | Should -BeNullOrEmpty -Because 'there is no public address to point at'
        @($help.relatedLinks.navigationLink | Where-Object { $_ }) | Should -BeNullOrEmpty -Because 'Get-Help offers -Online for any help with a related link'
        $shown = Get-Help -Name $name | Out-String -Width 250

        $shown | Should -Not -BeLike '*-Online*'
        $shown | Should -BeLike "*Get-Help $name -Full*"
        if ($doc.Links) { @($help.description.Text)[-1] | Should -Be "See also: $(@($doc.Links.Text) -join ', ')." }
        { Get-Help -Name $name -Online -ErrorAction Stop } | Should -Throw -ErrorId 'InvalidOperation,Microsoft.PowerShell.Commands.GetHelpCommand'
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
        # folder is an empty temporary one (nothing of the repository is at hand, as for an installed module);
        # Example 1 starts an emulator as $emu and connects, the others continue in that session. The cmdlets'
        # runs go in parallel (they mostly wait on the emulator's steps).
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
                    $here = New-Item -ItemType Directory (Join-Path ([IO.Path]::GetTempPath()) "kernel-examples-$([guid]::NewGuid().ToString('N'))")
                    $runspace = [runspacefactory]::CreateRunspace([initialsessionstate]::CreateDefault2())
                    $runspace.Open()
                    $shell = [powershell]::Create()
                    $shell.Runspace = $runspace
                    try {
                        $null = $shell.AddScript('param($Manifest, $Here) Import-Module $Manifest; Set-Location -LiteralPath $Here').AddArgument($using:manifest).AddArgument($here.FullName).Invoke()
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
                        Remove-Item -Recurse -Force -LiteralPath $here.FullName -ErrorAction Ignore
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
