#Requires -Version 7.2
<#
.SYNOPSIS
    Turns the module's markdown help (docs/en-US) into the help files Get-Help reads.
.DESCRIPTION
    Converts docs/en-US/<Cmdlet-Name>.md into one MAML file, named as the cmdlets' HelpFile says
    (Kernel.PowerShell.dll-Help.xml), and docs/en-US/about_*.md into about_*.help.txt, both in -OutputPath.

    The markdown is read with Markdig, the parser PowerShell ships (ConvertFrom-Markdown is built on it), into
    its syntax tree; every problem names the file and line it is on.

    Text (synopsis, description, parameter descriptions, examples, inputs, outputs, notes, links) comes from
    the markdown. Everything that describes the command itself (syntax per parameter set, required, position,
    pipeline input, wildcards, type, aliases, defaults) comes from the staged module as PowerShell sees it:
    imported in a child pwsh -NoProfile, so it never drifts from the code and the module never loads into the
    calling session (a build keeps no handle on its files, and a copy already loaded here cannot answer for it).

    Malformed markdown (see docs/README.md) stops the conversion with every problem listed, file and line.
    Incomplete help (a cmdlet or parameter without text, fewer than two examples, a stale parameter, metadata
    that disagrees with the code) is written as warnings and converted anyway: tests/Pester/Help.Tests.ps1 is
    the gate for completeness.

    -UpdateMarkdown regenerates the parts of the markdown that come from the code instead (the SYNTAX
    sections and each parameter's metadata block), adds a stub for every undocumented parameter and a skeleton
    for every undocumented cmdlet, and converts nothing.

    Dot-sourcing the script (`. ./tools/Build-Help.ps1`, also inside New-Module) only defines its
    functions; tests/Pester/Help.Tests.ps1 uses them to read the markdown and the module the way the converter does.
.EXAMPLE
    dotnet pwsh ./tools/Build-Help.ps1 -DocsPath docs/en-US -ModulePath out/Kernel/Kernel.psd1 -OutputPath out/Kernel/en-US
.EXAMPLE
    dotnet pwsh ./tools/Build-Help.ps1 -DocsPath docs/en-US -ModulePath out/Kernel/Kernel.psd1 -UpdateMarkdown
#>
[CmdletBinding(DefaultParameterSetName = 'Convert')]
param(
    # The folder of the markdown help: <Cmdlet-Name>.md and about_*.md.
    [Parameter(ParameterSetName = 'Convert')]
    [Parameter(ParameterSetName = 'Update')]
    [string] $DocsPath,

    # The staged module's manifest.
    [Parameter(ParameterSetName = 'Convert')]
    [Parameter(ParameterSetName = 'Update')]
    [Parameter(ParameterSetName = 'Metadata')]
    [string] $ModulePath,

    # Where the help files go: the module's en-US folder.
    [Parameter(ParameterSetName = 'Convert')]
    [string] $OutputPath,

    # Regenerate SYNTAX and parameter metadata in the markdown; add stubs for what is undocumented.
    [Parameter(Mandatory, ParameterSetName = 'Update')]
    [switch] $UpdateMarkdown,

    # Internal: print the module's command metadata as JSON (what the child process does).
    [Parameter(Mandatory, ParameterSetName = 'Metadata')]
    [switch] $EmitMetadata
)

$script:CmdletSections = @('SYNOPSIS', 'SYNTAX', 'DESCRIPTION', 'EXAMPLES', 'PARAMETERS', 'INPUTS', 'OUTPUTS', 'NOTES', 'RELATED LINKS')
$script:MetadataKeys = @('Type', 'Parameter Sets', 'Aliases', 'Required', 'Position', 'Default value', 'Accept pipeline input', 'Accept wildcard characters')
$script:Placeholder = '{{'
$script:MarkdownPipeline = $null

#region Command metadata (from the staged module, never from the markdown)

function Get-CommandHelpMetadata {
    <#
    .SYNOPSIS
        What help needs to know about each cmdlet an imported module exports, as plain data (JSON-safe). The
        child pwsh of Get-ModuleHelpMetadata runs it on the staged module.
    #>
    param([Parameter(Mandatory)] [System.Management.Automation.PSModuleInfo] $Module)

    $common = [System.Management.Automation.PSCmdlet]::CommonParameters
    foreach ($command in $Module.ExportedCmdlets.Values | Sort-Object Name) {
        $instance = $null
        try { $instance = [Activator]::CreateInstance($command.ImplementingType) } catch { $instance = $null }
        $sets = @($command.ParameterSets)
        $onlySet = $sets.Count -eq 1
        # Set name -> (parameter name -> its metadata in that set).
        $bySet = [ordered]@{}
        foreach ($set in $sets) {
            $lookup = @{}
            foreach ($p in $set.Parameters) { $lookup[$p.Name] = $p }
            $bySet[$set.Name] = $lookup
        }
        $parameters = foreach ($parameter in $command.Parameters.Values) {
            if ($parameter.Name -in $common) { continue }
            $type = $parameter.ParameterType
            $element = [Nullable]::GetUnderlyingType($type) ?? $type
            $inSets = foreach ($set in $sets) { if ($bySet[$set.Name].ContainsKey($parameter.Name)) { $set } }
            $inSets = @($inSets)
            $perSet = foreach ($set in $inSets) {
                $p = $bySet[$set.Name][$parameter.Name]
                [pscustomobject]@{
                    Set            = $set.Name
                    Required       = [bool]$p.IsMandatory
                    Position       = if ($p.Position -lt 0) { 'Named' } else { [string]$p.Position }
                    ByValue        = [bool]$p.ValueFromPipeline
                    ByPropertyName = [bool]$p.ValueFromPipelineByPropertyName
                }
            }
            $globbing = $false
            $validValues = foreach ($attribute in $parameter.Attributes) {
                if ($attribute -is [System.Management.Automation.SupportsWildcardsAttribute]) { $globbing = $true }
                elseif ($attribute -is [System.Management.Automation.ValidateSetAttribute]) { $attribute.ValidValues }
            }
            $allSets = $onlySet -or ($parameter.ParameterSets.Keys -contains '__AllParameterSets') -or ($inSets.Count -eq $sets.Count)
            [pscustomobject]@{
                Name          = $parameter.Name
                TypeName      = Format-TypeName $element
                TypeFullName  = $element.FullName
                IsSwitch      = $element -eq [System.Management.Automation.SwitchParameter]
                IsArray       = $element.IsArray
                Aliases       = @($parameter.Aliases)
                Globbing      = [bool]$globbing
                AllSets       = $allSets
                PerSet        = @($perSet)
                ValidValues   = @($validValues)
                CodeDefault   = Get-CodeDefault $instance $command.ImplementingType $parameter.Name
            }
        }
        $outputs = @(foreach ($output in $command.OutputType) {
                $outputName = if ($output.Type) { $output.Type.FullName } else { $output.Name }
                if ($outputName -and $outputName -ne 'System.Void') { $outputName }
            })
        [pscustomobject]@{
            Name                = $command.Name
            Verb                = $command.Verb
            Noun                = $command.Noun
            HelpFile            = $command.HelpFile
            DefaultParameterSet = $command.DefaultParameterSet
            ParameterSets       = @($sets | ForEach-Object {
                    [pscustomobject]@{
                        Name      = $_.Name
                        IsDefault = [bool]$_.IsDefault
                        Syntax    = "$($command.Name) $_"
                        Order     = @(Get-SyntaxOrder $_ $common)
                    }
                })
            Parameters          = @($parameters)
            OutputTypes         = $outputs
        }
    }
}

function Format-TypeName {
    param([type] $Type)
    if ($Type.IsArray) { return (Format-TypeName $Type.GetElementType()) + '[]' }
    if ($Type.IsGenericType) {
        $name = $Type.Name.Substring(0, $Type.Name.IndexOf('`'))
        return $name + '[' + (($Type.GetGenericArguments() | ForEach-Object { Format-TypeName $_ }) -join ', ') + ']'
    }
    $Type.Name
}

function Get-SyntaxOrder {
    <# .SYNOPSIS Parameter names of a set in syntax order: positional by position, then the rest as declared. #>
    param($Set, [string[]] $Common)
    $own = @($Set.Parameters).Where({ $_.Name -notin $Common })
    $positional = [System.Collections.Generic.List[object]]::new()
    foreach ($p in $own) { if ($p.Position -ge 0) { $positional.Add($p) } }
    $positional.Sort([System.Comparison[object]] { param($a, $b) $a.Position.CompareTo($b.Position) })
    $named = @($own.Where({ $_.Position -lt 0 }))
    foreach ($p in @($positional) + @($named)) { $p.Name }
}

function Get-CodeDefault {
    <#
    .SYNOPSIS
        The value a parameter has when it is not given, read from a fresh instance of the cmdlet class, as text;
        $null when there is none worth stating (null, an empty collection) or no such property (WhatIf, -First).
    #>
    param($Instance, [type] $Type, [string] $Name)
    if ($null -eq $Instance) { return $null }
    $property = $Type.GetProperty($Name)
    if (-not $property) { return $null }
    try { $value = $property.GetValue($Instance) } catch { return $null }
    if ($null -eq $value) { return $null }
    if ($value -is [System.Management.Automation.SwitchParameter]) { return [string]$value.IsPresent }
    if ($value -is [System.Collections.IDictionary]) { if ($value.Count -eq 0) { return $null }; return ($value | Out-String).Trim() }
    if ($value -is [array]) { if ($value.Count -eq 0) { return $null }; return ($value -join ', ') }
    if ($value -is [timespan]) { return $value.ToString('c', [cultureinfo]::InvariantCulture) }
    if ($value -is [System.IFormattable]) { return $value.ToString($null, [cultureinfo]::InvariantCulture) }
    [string]$value
}

function Start-ModuleHelpMetadata {
    <#
    .SYNOPSIS
        Starts a child pwsh (-NoProfile -NonInteractive) that imports the staged module and prints its command
        metadata; Receive-ModuleHelpMetadata collects it. The module never loads into this process.
    #>
    param([Parameter(Mandatory)] [string] $ManifestPath)
    if (-not (Test-Path -LiteralPath $ManifestPath -PathType Leaf)) { throw "There is no module manifest at '$ManifestPath'; stage the module first (./build.ps1 Build)." }
    $start = [System.Diagnostics.ProcessStartInfo]::new([Environment]::ProcessPath)
    if ([IO.Path]::GetFileNameWithoutExtension([Environment]::ProcessPath) -eq 'dotnet') {
        # `dotnet pwsh` (a local tool): the host is dotnet, PowerShell is the pwsh.dll it was given.
        $start.ArgumentList.Add([Environment]::GetCommandLineArgs()[0])
    }
    foreach ($argument in '-NoProfile', '-NonInteractive', '-File', $PSCommandPath, '-ModulePath', $ManifestPath, '-EmitMetadata') { $start.ArgumentList.Add($argument) }
    $start.UseShellExecute = $false
    $start.RedirectStandardOutput = $true
    $start.RedirectStandardError = $true
    $start.Environment['NO_COLOR'] = '1'
    $process = [System.Diagnostics.Process]::Start($start)
    [pscustomobject]@{ Process = $process; Output = $process.StandardOutput.ReadToEndAsync(); Errors = $process.StandardError.ReadToEndAsync(); Path = $ManifestPath }
}

function Receive-ModuleHelpMetadata {
    param([Parameter(Mandatory)] $Job, [timespan] $Timeout = [timespan]::FromSeconds(60))
    if (-not $Job.Process.WaitForExit([int]$Timeout.TotalMilliseconds)) {
        $Job.Process.Kill()
        throw "Reading the commands of '$($Job.Path)' took longer than $($Timeout.TotalSeconds) s."
    }
    $Job.Process.WaitForExit()
    $text = $Job.Output.GetAwaiter().GetResult()
    $errors = $Job.Errors.GetAwaiter().GetResult().Trim()
    if ($Job.Process.ExitCode -ne 0) { throw "Could not read the commands of '$($Job.Path)' (child pwsh exit code $($Job.Process.ExitCode)): $errors" }
    $begin = $text.IndexOf('[')
    if ($begin -lt 0) { throw "The child pwsh printed no command metadata for '$($Job.Path)': $text $errors" }
    @($text.Substring($begin) | ConvertFrom-Json -NoEnumerate)[0]
}

function Get-ModuleHelpMetadata {
    <# .SYNOPSIS The staged module's command metadata, read in a child pwsh: what the converter and the tests use. #>
    param([Parameter(Mandatory)] [string] $ManifestPath)
    Receive-ModuleHelpMetadata (Start-ModuleHelpMetadata $ManifestPath)
}

#endregion

#region Reading markdown

function Select-Property {
    <# .SYNOPSIS The values of one property of each item; nothing (not $null) for no items. #>
    param([object[]] $Items, [string] $Name)
    foreach ($item in $Items) { if ($null -ne $item) { $item.$Name } }
}

function Read-MarkdownFile {
    <#
    .SYNOPSIS
        A markdown file parsed by Markdig (it ships with PowerShell; ConvertFrom-Markdown is built on it): its
        top-level blocks, its lines, and the list its problems go to as "file:line: message". The pipeline has
        what the help uses, CommonMark and pipe tables, and reads and drops front matter (platyPS writes some);
        ConvertFrom-Markdown's own would also read {...} attributes, ~subscripts~ and task lists out of plain text.
    #>
    param([Parameter(Mandatory)] [string] $Path, [System.Collections.Generic.List[string]] $Problems)
    if (-not $script:MarkdownPipeline) {
        Add-Type -AssemblyName Markdig.Signed
        $builder = [Markdig.MarkdownExtensions]::UsePipeTables([Markdig.MarkdownPipelineBuilder]::new())
        $script:MarkdownPipeline = [Markdig.MarkdownExtensions]::UseYamlFrontMatter($builder).Build()
    }
    $text = [IO.File]::ReadAllText($Path).Replace("`r`n", "`n")
    $blocks = @([Markdig.Markdown]::Parse($text, $script:MarkdownPipeline)).Where({
            -not ($_ -is [Markdig.Extensions.Yaml.YamlFrontMatterBlock] -or $_ -is [Markdig.Syntax.LinkReferenceDefinitionGroup]) })
    [pscustomobject]@{ Path = $Path; Lines = $text.TrimEnd("`n").Split("`n"); Blocks = @($blocks); Problems = $Problems }
}

function Add-DocProblem {
    <# .SYNOPSIS Adds a problem at a line (1-based; a Markdig block's .Line is 0-based) of a file. #>
    param($File, [int] $Line, [string] $Message)
    $File.Problems.Add(('{0}:{1}: {2}' -f $File.Path, $Line, $Message))
}

function Split-Sections {
    <#
    .SYNOPSIS
        Splits blocks at the headings of one level: the blocks before the first heading (.Preamble) and each
        heading's title (as written), line, blocks and last line (the line before the next heading, or $End).
    #>
    param($File, [object[]] $Blocks, [int] $Level, [int] $End)
    $preamble = [System.Collections.Generic.List[object]]::new()
    $sections = [System.Collections.Generic.List[object]]::new()
    $current = $null
    foreach ($block in $Blocks) {
        if ($block -is [Markdig.Syntax.HeadingBlock] -and $block.Level -eq $Level) {
            if ($block.IsSetext) { Add-DocProblem $File ($block.Line + 1) "write this heading with '$('#' * $Level) ' in front, not underlined" }
            # Markdig's Line is 0-based: the next heading's index is the number of the line before it.
            if ($current) { $current.End = $block.Line }
            $title = $File.Lines[$block.Line].Trim() -replace '^#+', ''
            $current = [pscustomobject]@{ Title = $title.Trim(); Line = $block.Line + 1; Blocks = [System.Collections.Generic.List[object]]::new(); End = $End }
            $sections.Add($current)
        }
        elseif ($current) { $current.Blocks.Add($block) }
        else { $preamble.Add($block) }
    }
    [pscustomobject]@{ Preamble = $preamble.ToArray(); Sections = $sections.ToArray() }
}

function Get-InlineText {
    <#
    .SYNOPSIS
        Inline markdown as help text: [text](uri) keeps the uri only when it is absolute (http or https), emphasis
        markers go, `code` stays as written (backticks included), line breaks become spaces.
    #>
    param([Markdig.Syntax.Inlines.ContainerInline] $Container, [switch] $InTable)
    $text = [System.Text.StringBuilder]::new()
    # if/elseif, not switch: switch would enumerate a container inline's children instead of taking the inline.
    foreach ($inline in $Container) {
        $part = if ($inline -is [Markdig.Syntax.Inlines.LiteralInline]) { $inline.Content.ToString() }
        elseif ($inline -is [Markdig.Syntax.Inlines.CodeInline]) {
            $code = if ($InTable) { $inline.Content.Replace('\|', '|') } else { $inline.Content }
            if ($code.StartsWith('`') -or $code.EndsWith('`')) { $code = " $code " }
            $fence = [string]::new($inline.Delimiter, $inline.DelimiterCount)
            "$fence$code$fence"
        }
        elseif ($inline -is [Markdig.Syntax.Inlines.LineBreakInline]) { ' ' }
        elseif ($inline -is [Markdig.Syntax.Inlines.LinkInline]) {
            $label = Get-InlineText $inline -InTable:$InTable
            if ($inline.Url -match '^https?://') { "$label ($($inline.Url))" } else { $label }
        }
        elseif ($inline -is [Markdig.Syntax.Inlines.AutolinkInline]) { $inline.Url }
        elseif ($inline -is [Markdig.Syntax.Inlines.HtmlInline]) { $inline.Tag }
        elseif ($inline -is [Markdig.Syntax.Inlines.HtmlEntityInline]) { $inline.Transcoded.ToString() }
        elseif ($inline -is [Markdig.Syntax.Inlines.ContainerInline]) { Get-InlineText $inline -InTable:$InTable }
        [void]$text.Append($part)
    }
    $text.ToString().Trim()
}

function Get-FenceLines {
    param([Markdig.Syntax.LeafBlock] $Block)
    if ($Block.Lines.Count -eq 0) { return , @() }
    , @($Block.Lines.ToString().Split("`n") | ForEach-Object TrimEnd)
}

function Test-RunawayFence {
    <#
    .SYNOPSIS
        Whether a code block lacks its closing ``` and so runs on over what follows (the next example, a section);
        says where it opened and what it swallowed rather than what went wrong after it.
    #>
    param($File)
    foreach ($fence in $File.Blocks.Where({ $_ -is [Markdig.Syntax.FencedCodeBlock] })) {
        # An unclosed fence's lines run to the end of the file.
        $lines = Get-FenceLines $fence
        for ($i = 0; $i -lt $lines.Count; $i++) {
            if ($lines[$i] -match '^\s*```|^## [A-Z][A-Z ]*$') {
                Add-DocProblem $File ($fence.Line + 1) "the code block opened here is not closed before '$($lines[$i].Trim())' (line $($fence.Line + $i + 2))"
                return $true
            }
        }
        if ($fence.ClosingFencedCharCount -eq 0) {
            Add-DocProblem $File ($fence.Line + 1) 'this code block is never closed (no ``` line)'
            return $true
        }
    }
    $false
}

function ConvertTo-HelpBlocks {
    <#
    .SYNOPSIS
        Markdown blocks as help blocks: Para (text), Bullet (marker and text), Table (rows of cells) and Code (lines,
        only where -AllowCode). What the help format has no place for is a problem, "file:line: message".
    #>
    param($File, [object[]] $Blocks, [switch] $AllowCode)
    # if/elseif, not switch: switch would enumerate a container block's children instead of taking the block.
    foreach ($block in $Blocks) {
        $line = $block.Line + 1
        if ($block -is [Markdig.Syntax.ParagraphBlock]) {
            # Rows without the |---| line under the header, or running on into text, are read as a paragraph.
            $lineStart = $true
            foreach ($inline in $block.Inline) {
                if ($lineStart -and $inline -is [Markdig.Syntax.Inlines.LiteralInline] -and $inline.Content.ToString().StartsWith('|')) {
                    Add-DocProblem $File ($inline.Line + 1) 'this is not read as a table: a table is a header row, a |---| line under it, its rows, and a blank line after them'
                    break
                }
                $lineStart = $inline -is [Markdig.Syntax.Inlines.LineBreakInline]
            }
            [pscustomobject]@{ Kind = 'Para'; Text = Get-InlineText $block.Inline }
        }
        elseif ($block -is [Markdig.Syntax.ListBlock]) {
            foreach ($item in $block) {
                $marker = if ($block.IsOrdered) { "$($item.Order)$($block.OrderedDelimiter)" } else { '-' }
                $children = foreach ($child in $item) { $child }
                $inner = @(ConvertTo-HelpBlocks $File @($children) -AllowCode:$AllowCode)
                $text = ''
                if ($inner.Count -and $inner[0].Kind -eq 'Para') { $text = $inner[0].Text; $inner = @($inner | Select-Object -Skip 1) }
                [pscustomobject]@{ Kind = 'Bullet'; Marker = $marker; Text = $text }
                $inner
            }
        }
        elseif ($block -is [Markdig.Extensions.Tables.Table]) {
            $rows = foreach ($row in $block) {
                # Markdig pads a short row (or the header, under a long row) with cells that have no place in the text.
                if (@($row).Where({ $_.Span.End -lt $_.Span.Start }).Count) {
                    Add-DocProblem $File ($row.Line + 1) 'the rows of this table have different numbers of cells'
                }
                , @(foreach ($cell in $row) { if ($cell.Count) { Get-InlineText $cell[0].Inline -InTable } else { '' } })
            }
            [pscustomobject]@{ Kind = 'Table'; Rows = @($rows); Line = $line }
        }
        elseif ($block -is [Markdig.Syntax.CodeBlock]) {
            if (-not $AllowCode) {
                Add-DocProblem $File $line 'a code block is only allowed in SYNTAX, as an example''s code and as a parameter''s yaml metadata (or in an about topic)'
            }
            else {
                [pscustomobject]@{ Kind = 'Code'; Lines = Get-FenceLines $block; Language = if ($block -is [Markdig.Syntax.FencedCodeBlock]) { $block.Info } else { '' } }
            }
        }
        elseif ($block -is [Markdig.Syntax.HeadingBlock]) {
            Add-DocProblem $File $line "unexpected heading '$($File.Lines[$block.Line].Trim())' here"
        }
        else {
            $kind = ($block.GetType().Name -replace 'Block$', '').ToLowerInvariant()
            Add-DocProblem $File $line "the help has no place for this $kind block: write paragraphs, '-' or '1.' lists, tables or (where allowed) ``````powershell code"
        }
    }
}

function Read-CmdletMarkdown {
    <#
    .SYNOPSIS
        Reads one cmdlet's markdown help (docs/README.md) into a model. Structural problems are added to
        $Problems; the model is as complete as the text allows.
    #>
    param([Parameter(Mandatory)] [string] $Path, [System.Collections.Generic.List[string]] $Problems = [System.Collections.Generic.List[string]]::new())

    $name = [IO.Path]::GetFileNameWithoutExtension($Path)
    $file = Read-MarkdownFile $Path $Problems
    $doc = [pscustomobject]@{
        Name = $name; Path = $Path; Title = $null; Sections = @{}
        Synopsis = @(); Description = @(); Examples = @(); Parameters = @(); Inputs = @(); Outputs = @(); Notes = @(); Links = @()
        SyntaxRange = $null; SyntaxText = ''; ParametersRange = $null; CommonParametersLine = $null; LineCount = $file.Lines.Count
    }

    if (Test-RunawayFence $file) { return $doc }
    $top = Split-Sections $file $file.Blocks 1 $file.Lines.Count
    if ($top.Preamble) { Add-DocProblem $File ($top.Preamble[0].Line + 1) "text before the '# $name' title" }
    if ($top.Sections.Count -ne 1) {
        Add-DocProblem $File 1 "expected exactly one '# $name' title, found $($top.Sections.Count)"
        if ($top.Sections.Count -eq 0) { return $doc }
    }
    $doc.Title = $top.Sections[0].Title
    if ($doc.Title -cne $name) { Add-DocProblem $File $top.Sections[0].Line "the title '# $($doc.Title)' does not match the file name ($name.md)" }

    $body = Split-Sections $file $top.Sections[0].Blocks 2 $top.Sections[0].End
    if ($body.Preamble) { Add-DocProblem $File ($body.Preamble[0].Line + 1) 'text between the title and the first ## section' }

    $lastIndex = -1
    foreach ($section in $body.Sections) {
        $key = $section.Title.ToUpperInvariant()
        $index = [array]::IndexOf($script:CmdletSections, $key)
        if ($index -lt 0) {
            Add-DocProblem $File $section.Line "unknown section '## $($section.Title)'; sections are $($script:CmdletSections -join ', ')"
            continue
        }
        if ($section.Title -cne $key) { Add-DocProblem $File $section.Line "write the section heading in capitals: '## $key'" }
        if ($doc.Sections.ContainsKey($key)) { Add-DocProblem $File $section.Line "a second '## $key' section"; continue }
        if ($index -lt $lastIndex) { Add-DocProblem $File $section.Line "'## $key' is out of order; sections go $($script:CmdletSections -join ', ')" }
        $lastIndex = [Math]::Max($lastIndex, $index)
        $doc.Sections[$key] = $section
        $blocks = $section.Blocks.ToArray()
        $range = [pscustomobject]@{ Start = $section.Line; End = $section.End }

        switch ($key) {
            'SYNOPSIS' { $doc.Synopsis = @(ConvertTo-HelpBlocks $file $blocks) }
            'DESCRIPTION' { $doc.Description = @(ConvertTo-HelpBlocks $file $blocks) }
            'NOTES' { $doc.Notes = @(ConvertTo-HelpBlocks $file $blocks) }
            'SYNTAX' {
                $doc.SyntaxRange = $range
                if ($section.End -gt $section.Line) { $doc.SyntaxText = ($file.Lines[$section.Line..($section.End - 1)] -join "`n").Trim() }
            }
            'EXAMPLES' { $doc.Examples = @(Read-Examples $file $section) }
            'PARAMETERS' {
                $doc.ParametersRange = $range
                $doc.Parameters = @(Read-Parameters $file $section $doc)
            }
            { $_ -in 'INPUTS', 'OUTPUTS' } {
                $items = Split-Sections $file $blocks 3 $section.End
                if ($items.Preamble) { Add-DocProblem $File ($items.Preamble[0].Line + 1) "text under '## $key' must be under a '### <type name>' heading (### None when there is none)" }
                $list = foreach ($item in $items.Sections) {
                    [pscustomobject]@{ Type = $item.Title; Description = @(ConvertTo-HelpBlocks $file $item.Blocks.ToArray()); Line = $item.Line }
                }
                if ($key -eq 'INPUTS') { $doc.Inputs = @($list) } else { $doc.Outputs = @($list) }
            }
            'RELATED LINKS' { $doc.Links = @(Read-RelatedLinks $file $blocks) }
        }
    }
    $doc
}

function Read-RelatedLinks {
    <# .SYNOPSIS One link per list item or paragraph: - [Text](uri), the uri kept when it is absolute. #>
    param($File, [object[]] $Blocks)
    $paragraphs = foreach ($block in $Blocks) {
        if ($block -is [Markdig.Syntax.ParagraphBlock]) { $block }
        elseif ($block -is [Markdig.Syntax.ListBlock]) { foreach ($item in $block) { foreach ($inner in $item) { if ($inner -is [Markdig.Syntax.ParagraphBlock]) { $inner } } } }
        else { Add-DocProblem $File ($block.Line + 1) 'RELATED LINKS takes one link per line: - [Text](uri)' }
    }
    foreach ($paragraph in $paragraphs) {
        $parts = @($paragraph.Inline).Where({ -not ($_ -is [Markdig.Syntax.Inlines.LiteralInline] -and -not $_.Content.ToString().Trim()) })
        if ($parts.Count -eq 1 -and $parts[0] -is [Markdig.Syntax.Inlines.LinkInline]) {
            [pscustomobject]@{ Text = Get-InlineText $parts[0]; Uri = if ($parts[0].Url -match '^https?://') { $parts[0].Url } else { '' } }
        }
        else { [pscustomobject]@{ Text = Get-InlineText $paragraph.Inline; Uri = '' } }
    }
}

function Read-Examples {
    param($File, $Section)
    $split = Split-Sections $File $Section.Blocks.ToArray() 3 $Section.End
    if ($split.Preamble) { Add-DocProblem $File ($split.Preamble[0].Line + 1) "text under '## EXAMPLES' must be under a '### Example N: title' heading" }
    $number = 0
    foreach ($example in $split.Sections) {
        $number++
        $heading = [regex]::Match($example.Title, '^Example (?<n>\d+)(: (?<title>\S.*))?$')
        $title = $null
        if (-not $heading.Success) {
            Add-DocProblem $File $example.Line "an example heading reads '### Example $($number): <what it shows>', not '### $($example.Title)'"
        }
        else {
            if ([int]$heading.Groups['n'].Value -ne $number) {
                Add-DocProblem $File $example.Line "example headings are numbered 1, 2, 3...; expected Example $number"
            }
            if ($heading.Groups['title'].Success) { $title = $heading.Groups['title'].Value }
        }
        $blocks = $example.Blocks
        $fences = @($blocks.Where({ $_ -is [Markdig.Syntax.FencedCodeBlock] }))
        $remarks = @($blocks.Where({ $_ -isnot [Markdig.Syntax.FencedCodeBlock] }))
        if ($blocks.Count -and $blocks[0] -isnot [Markdig.Syntax.FencedCodeBlock]) {
            Add-DocProblem $File ($blocks[0].Line + 1) 'an example starts with its ```powershell code block; the explanation goes after it'
        }
        if ($fences.Count -eq 0) {
            Add-DocProblem $File $example.Line "Example $number has no ``````powershell code block"
        }
        elseif ($fences.Count -gt 1) {
            Add-DocProblem $File ($fences[1].Line + 1) "Example $number has more than one code block; put one example per heading"
        }
        elseif ($fences[0].Info -notin 'powershell', 'pwsh', 'ps1') {
            Add-DocProblem $File ($fences[0].Line + 1) "an example's code block is ``````powershell, not ``````$($fences[0].Info)"
        }
        [pscustomobject]@{
            Number  = $number
            Title   = $title
            Heading = $example.Title
            Code    = if ($fences.Count) { ((Get-FenceLines $fences[0]) -join "`n").Trim("`n") } else { '' }
            Remarks = @(ConvertTo-HelpBlocks $File $remarks)
            Line    = $example.Line
        }
    }
}

function Read-Parameters {
    param($File, $Section, $Doc)
    $split = Split-Sections $File $Section.Blocks.ToArray() 3 $Section.End
    if ($split.Preamble) { Add-DocProblem $File ($split.Preamble[0].Line + 1) "text under '## PARAMETERS' must be under a '### -Name' heading" }
    $seen = @{}
    foreach ($parameter in $split.Sections) {
        if ($parameter.Title -eq 'CommonParameters') { $Doc.CommonParametersLine = $parameter.Line; continue }
        if ($parameter.Title -notmatch '^-(?<name>[A-Za-z][A-Za-z0-9_]*)$') {
            Add-DocProblem $File $parameter.Line "a parameter heading reads '### -Name', not '### $($parameter.Title)'"
            continue
        }
        $name = $Matches.name
        if ($seen.ContainsKey($name)) { Add-DocProblem $File $parameter.Line "-$name is documented twice"; continue }
        $seen[$name] = $true

        $prose = [System.Collections.Generic.List[object]]::new()
        $metadata = $null
        $metadataRange = $null
        foreach ($block in $parameter.Blocks) {
            if ($block -isnot [Markdig.Syntax.FencedCodeBlock]) {
                if ($metadata) { Add-DocProblem $File ($block.Line + 1) "the description of -$name goes before its metadata block" }
                $prose.Add($block)
                continue
            }
            $open = $block.Line + 1
            if ($block.Info -ne 'yaml') {
                Add-DocProblem $File $open "the only code block of a parameter is its ``````yaml metadata"
                continue
            }
            if ($metadata) {
                Add-DocProblem $File $open "-$name has a second metadata block"
                continue
            }
            $metadata = [ordered]@{}
            $entries = Get-FenceLines $block
            for ($i = 0; $i -lt $entries.Count; $i++) {
                $entry = $entries[$i]
                if (-not $entry.Trim()) { continue }
                if ($entry -notmatch '^(?<key>[A-Za-z][A-Za-z ]*):(?<value>.*)$' -or $Matches.key -notin $script:MetadataKeys) {
                    Add-DocProblem $File ($open + $i + 1) "not a metadata line ('Key: value' with a key of $($script:MetadataKeys -join ', ')): '$entry'"
                    continue
                }
                if ($metadata.Contains($Matches.key)) { Add-DocProblem $File ($open + $i + 1) "'$($Matches.key)' is given twice" }
                $metadata[$Matches.key] = $Matches.value.Trim()
            }
            $metadataRange = [pscustomobject]@{ Start = $open; End = $open + $block.Lines.Count + 1 }
        }
        [pscustomobject]@{
            Name          = $name
            Description   = @(ConvertTo-HelpBlocks $File $prose.ToArray())
            Metadata      = $metadata
            MetadataRange = $metadataRange
            Line          = $parameter.Line
            End           = $parameter.End
        }
    }
}

function Read-AboutMarkdown {
    <#
    .SYNOPSIS
        Reads an about topic: '# about_Name', then '##' sections (SHORT DESCRIPTION first) with prose, '###'
        subheadings, lists, tables and code blocks.
    #>
    param([Parameter(Mandatory)] [string] $Path, [System.Collections.Generic.List[string]] $Problems = [System.Collections.Generic.List[string]]::new())
    $name = [IO.Path]::GetFileNameWithoutExtension($Path)
    $file = Read-MarkdownFile $Path $Problems
    if (Test-RunawayFence $file) { return [pscustomobject]@{ Name = $name; Path = $Path; Sections = @() } }
    $top = Split-Sections $file $file.Blocks 1 $file.Lines.Count
    if ($top.Preamble) { Add-DocProblem $File ($top.Preamble[0].Line + 1) "text before the '# $name' title" }
    if ($top.Sections.Count -ne 1 -or $top.Sections[0].Title -cne $name) {
        Add-DocProblem $File 1 "an about topic starts with one '# $name' title"
        if ($top.Sections.Count -eq 0) { return [pscustomobject]@{ Name = $name; Path = $Path; Sections = @() } }
    }
    $body = Split-Sections $file $top.Sections[0].Blocks 2 $top.Sections[0].End
    if ($body.Preamble) { Add-DocProblem $File ($body.Preamble[0].Line + 1) 'text between the title and the first ## section' }
    $sections = @(foreach ($section in $body.Sections) {
            $sub = Split-Sections $file $section.Blocks.ToArray() 3 $section.End
            [pscustomobject]@{
                Title       = $section.Title
                Blocks      = @(ConvertTo-HelpBlocks $file $sub.Preamble -AllowCode)
                Subsections = @(foreach ($s in $sub.Sections) { [pscustomobject]@{ Title = $s.Title; Blocks = @(ConvertTo-HelpBlocks $file $s.Blocks.ToArray() -AllowCode) } })
                Line        = $section.Line
            }
        })
    if (-not $sections -or $sections[0].Title -ne 'SHORT DESCRIPTION') {
        Add-DocProblem $File 1 "an about topic's first section is '## SHORT DESCRIPTION'"
    }
    foreach ($s in $sections) {
        if ($s.Title -cne $s.Title.ToUpperInvariant()) { Add-DocProblem $File $s.Line "write the section heading in capitals: '## $($s.Title.ToUpperInvariant())'" }
    }
    [pscustomobject]@{ Name = $name; Path = $Path; Sections = $sections }
}

#endregion

#region What the markdown should say about the code

function Format-ParameterMetadata {
    <#
    .SYNOPSIS
        The metadata block of a parameter as the code defines it, keyed like the markdown's yaml block.
        'Default value' is the one value the code cannot describe in words: it is kept from the markdown
        ($DefaultValue), and checked against the code's default where there is one (Test-CmdletDoc).
    #>
    param([Parameter(Mandatory)] $Parameter, [string] $DefaultValue)
    $sets = [System.Collections.Generic.List[string]]::new()
    $required = [System.Collections.Generic.List[string]]::new()
    $position = [System.Collections.Generic.List[string]]::new()
    $pipeline = [System.Collections.Generic.List[string]]::new()
    foreach ($perSet in $Parameter.PerSet) {
        $sets.Add($perSet.Set)
        $required.Add($(if ($perSet.Required) { 'True' } else { 'False' }))
        $position.Add([string]$perSet.Position)
        $pipeline.Add((Format-PipelineInput $perSet))
    }
    $default = if ($DefaultValue) { $DefaultValue } elseif ($Parameter.IsSwitch) { 'False' } elseif ($null -ne $Parameter.CodeDefault) { $Parameter.CodeDefault } else { 'None' }
    [ordered]@{
        'Type'                       = $Parameter.TypeName
        'Parameter Sets'             = if ($Parameter.AllSets) { '(All)' } else { $sets -join ', ' }
        'Aliases'                    = ($Parameter.Aliases -join ', ')
        'Required'                   = Join-PerSet $sets $required
        'Position'                   = Join-PerSet $sets $position
        'Default value'              = $default
        'Accept pipeline input'      = Join-PerSet $sets $pipeline
        'Accept wildcard characters' = if ($Parameter.Globbing) { 'True' } else { 'False' }
    }
}

function Join-PerSet {
    <# .SYNOPSIS One value when every set agrees, else "value (set), value (set)". #>
    param([System.Collections.Generic.List[string]] $Sets, [System.Collections.Generic.List[string]] $Values)
    $distinct = [System.Collections.Generic.HashSet[string]]::new($Values)
    if ($distinct.Count -le 1) { return $(if ($Values.Count) { $Values[0] } else { '' }) }
    $parts = for ($i = 0; $i -lt $Values.Count; $i++) { "$($Values[$i]) ($($Sets[$i]))" }
    $parts -join ', '
}

function Format-PipelineInput {
    param($PerSet)
    $how = @(if ($PerSet.ByValue) { 'ByValue' }; if ($PerSet.ByPropertyName) { 'ByPropertyName' })
    if ($how.Count) { "True ($($how -join ', '))" } else { 'False' }
}

function Test-CmdletDoc {
    <#
    .SYNOPSIS
        What is incomplete or out of date in one cmdlet's markdown, measured against the code: one object per
        problem with a Kind (MissingParameter, StaleParameter, Metadata, Default, Syntax, Synopsis, Description,
        Examples, Inputs, Outputs, Placeholder) and a Message.
    #>
    param([Parameter(Mandatory)] $Doc, [Parameter(Mandatory)] $Command)
    function Problem([string] $Kind, [string] $Message) { [pscustomobject]@{ Cmdlet = $Command.Name; Kind = $Kind; Message = "$($Command.Name): $Message" } }

    $documented = @(Select-Property $Doc.Parameters Name)
    $real = @(Select-Property $Command.Parameters Name)
    foreach ($name in $real) { if ($name -notin $documented) { Problem MissingParameter "-$name has no '### -$name' section in $($Doc.Path)" } }
    foreach ($name in $documented) { if ($name -notin $real) { Problem StaleParameter "-$name is documented in $($Doc.Path) but the cmdlet has no such parameter" } }

    foreach ($p in $Doc.Parameters) {
        if ($p.Name -notin $real) { continue }
        $meta = @($Command.Parameters).Where({ $_.Name -eq $p.Name }, 'First')[0]
        if (-not (Test-HasText $p.Description)) { Problem ParameterDescription "-$($p.Name) has no description" }
        if (-not $p.Metadata) { Problem Metadata "-$($p.Name) has no ``````yaml metadata block (run tools/Build-Help.ps1 -UpdateMarkdown)"; continue }
        $expected = Format-ParameterMetadata $meta $p.Metadata['Default value']
        foreach ($key in $expected.Keys) {
            $actual = if ($p.Metadata.Contains($key)) { $p.Metadata[$key] } else { '<missing>' }
            if ($actual -cne $expected[$key]) { Problem Metadata "-$($p.Name) metadata '$key' reads '$actual'; the code says '$($expected[$key])' (run tools/Build-Help.ps1 -UpdateMarkdown)" }
        }
        $default = $p.Metadata['Default value']
        if ($meta.IsSwitch -and $default -ne 'False') { Problem Default "-$($p.Name) is a switch: its default value is False, not '$default'" }
        elseif ($null -ne $meta.CodeDefault -and -not $meta.IsSwitch -and "$default".IndexOf($meta.CodeDefault, [StringComparison]::Ordinal) -lt 0) {
            Problem Default "-$($p.Name) defaults to '$($meta.CodeDefault)' in the code, but its 'Default value' reads '$default'"
        }
    }

    $syntax = Get-SyntaxMarkdown $Command
    if ($Doc.SyntaxText -cne ($syntax -join "`n").Trim()) { Problem Syntax "the SYNTAX section is not what the code says (run tools/Build-Help.ps1 -UpdateMarkdown)" }

    if (-not (Test-HasText $Doc.Synopsis)) { Problem Synopsis 'no SYNOPSIS' }
    if (-not (Test-HasText $Doc.Description)) { Problem Description 'no DESCRIPTION' }
    $withCode = @(@($Doc.Examples).Where({ $_.Code.Trim() }))
    if ($withCode.Count -lt 2) { Problem Examples "$($withCode.Count) example(s) with code; at least 2 are needed" }
    foreach ($e in @($Doc.Examples).Where({ -not (Test-HasText $_.Remarks) })) { Problem Examples "Example $($e.Number) does not say what it does (no text after its code)" }
    if (-not $Doc.Inputs) { Problem Inputs "no INPUTS entry ('### None' when nothing is taken from the pipeline)" }
    if (-not $Doc.Outputs) { Problem Outputs "no OUTPUTS entry ('### None' when nothing is written)" }
    $outputs = @(Select-Property $Doc.Outputs Type)
    foreach ($type in @($Command.OutputTypes).Where({ $_ -notin $outputs })) { Problem Outputs "writes $type (OutputType) but OUTPUTS does not list it" }
    if (-not $Command.OutputTypes -and $outputs -and $outputs -notcontains 'None') { Problem Outputs "writes nothing (OutputType void) but OUTPUTS lists $($outputs -join ', ')" }

    $text = [IO.File]::ReadAllText($Doc.Path)
    if ($text.Contains($script:Placeholder)) { Problem Placeholder "$($Doc.Path) still has a '$($script:Placeholder) ... }}' placeholder" }
}

function Test-HasText {
    param([object[]] $Blocks)
    [bool]@($Blocks).Where({ ($_.Kind -in 'Para', 'Bullet' -and $_.Text.Trim()) -or $_.Kind -eq 'Table' }, 'First').Count
}

function Get-SetsInOrder {
    <# .SYNOPSIS A command's parameter sets, the default first, then by name. #>
    param($Command)
    $sets = [System.Collections.Generic.List[object]]::new()
    foreach ($set in $Command.ParameterSets) { $sets.Add($set) }
    $sets.Sort([System.Comparison[object]] { param($a, $b) if ($a.IsDefault -ne $b.IsDefault) { if ($a.IsDefault) { -1 } else { 1 } } else { [string]::CompareOrdinal($a.Name, $b.Name) } })
    $sets
}

function Get-SyntaxMarkdown {
    <# .SYNOPSIS The SYNTAX section's lines for a command, default set first. #>
    param($Command)
    $sets = @(Get-SetsInOrder $Command)
    $lines = foreach ($set in $sets) {
        if ($sets.Count -gt 1) {
            '### ' + $set.Name + $(if ($set.IsDefault) { ' (Default)' })
            ''
        }
        '```'
        $set.Syntax
        '```'
        ''
    }
    $lines = @($lines)
    if ($lines.Count) { $lines[0..($lines.Count - 2)] }
}

#endregion

#region Writing MAML and about text

function Get-Paragraphs {
    <# .SYNOPSIS Blocks to the strings of maml:para elements. #>
    param([object[]] $Blocks)
    foreach ($block in $Blocks) {
        switch ($block.Kind) {
            'Para' { $block.Text }
            'Bullet' { "$($block.Marker) $($block.Text)" }
            'Table' {
                $rows = @($block.Rows)
                $header = $rows[0]
                foreach ($row in $rows | Select-Object -Skip 1) {
                    if ($row.Count -eq 2) { "- $($row[0]): $($row[1])" }
                    else { '- ' + ((0..($row.Count - 1) | ForEach-Object { "$($header[$_]): $($row[$_])" }) -join '; ') }
                }
            }
            'Code' { '    ' + ($block.Lines -join "`n    ") }
        }
    }
}

function Write-Paragraphs {
    param([System.Xml.XmlWriter] $Writer, [string] $Element, [object[]] $Blocks)
    $Writer.WriteStartElement('maml', $Element, $script:Ns.maml)
    foreach ($para in Get-Paragraphs $Blocks) { $Writer.WriteElementString('maml', 'para', $script:Ns.maml, $para) }
    $Writer.WriteEndElement()
}

$script:Ns = @{
    msh     = 'http://msh'
    maml    = 'http://schemas.microsoft.com/maml/2004/10'
    command = 'http://schemas.microsoft.com/maml/dev/command/2004/10'
    dev     = 'http://schemas.microsoft.com/maml/dev/2004/10'
    MSHelp  = 'http://msdn.microsoft.com/mshelp'
}

function Write-MamlParameter {
    param([System.Xml.XmlWriter] $Writer, $Parameter, $PerSet, [object[]] $Description, [string] $DefaultValue, [switch] $InSyntax)
    $w = $Writer
    $w.WriteStartElement('command', 'parameter', $script:Ns.command)
    $w.WriteAttributeString('required', $(if ($PerSet.Required) { 'true' } else { 'false' }))
    $w.WriteAttributeString('variableLength', $(if ($Parameter.IsArray) { 'true' } else { 'false' }))
    $w.WriteAttributeString('globbing', $(if ($Parameter.Globbing) { 'true' } else { 'false' }))
    $w.WriteAttributeString('pipelineInput', (Format-PipelineInput $PerSet))
    $w.WriteAttributeString('position', $(if ($PerSet.Position -eq 'Named') { 'named' } else { $PerSet.Position }))
    $w.WriteAttributeString('aliases', $(if ($Parameter.Aliases.Count) { $Parameter.Aliases -join ', ' } else { 'none' }))
    $w.WriteElementString('maml', 'name', $script:Ns.maml, $Parameter.Name)
    if (-not $InSyntax) { Write-Paragraphs $w 'description' $Description }
    if ($Parameter.ValidValues.Count -and $InSyntax) {
        $w.WriteStartElement('command', 'parameterValueGroup', $script:Ns.command)
        foreach ($v in $Parameter.ValidValues) {
            $w.WriteStartElement('command', 'parameterValue', $script:Ns.command)
            $w.WriteAttributeString('required', 'false'); $w.WriteAttributeString('command', 'variableLength', $script:Ns.command, 'false')
            $w.WriteString($v); $w.WriteEndElement()
        }
        $w.WriteEndElement()
    }
    elseif (-not ($Parameter.IsSwitch -and $InSyntax)) {
        $w.WriteStartElement('command', 'parameterValue', $script:Ns.command)
        $w.WriteAttributeString('required', $(if ($Parameter.IsSwitch) { 'false' } else { 'true' }))
        $w.WriteAttributeString('variableLength', $(if ($Parameter.IsArray) { 'true' } else { 'false' }))
        $w.WriteString($Parameter.TypeName)
        $w.WriteEndElement()
    }
    $w.WriteStartElement('dev', 'type', $script:Ns.dev)
    $w.WriteElementString('maml', 'name', $script:Ns.maml, $Parameter.TypeFullName)
    $w.WriteElementString('maml', 'uri', $script:Ns.maml, '')
    $w.WriteEndElement()
    $w.WriteElementString('dev', 'defaultValue', $script:Ns.dev, $DefaultValue)
    $w.WriteEndElement()
}

function Merge-PerSet {
    <# .SYNOPSIS One view of a parameter across its sets, for the PARAMETERS list: required only if required in all. #>
    param($Parameter)
    $required = $true; $byValue = $false; $byPropertyName = $false
    $positions = [System.Collections.Generic.HashSet[string]]::new()
    foreach ($perSet in $Parameter.PerSet) {
        $required = $required -and $perSet.Required
        $byValue = $byValue -or $perSet.ByValue
        $byPropertyName = $byPropertyName -or $perSet.ByPropertyName
        [void]$positions.Add([string]$perSet.Position)
    }
    [pscustomobject]@{
        Required       = $required
        Position       = if ($positions.Count -eq 1) { @($positions)[0] } else { 'Named' }
        ByValue        = $byValue
        ByPropertyName = $byPropertyName
    }
}

function Write-MamlCommand {
    param([System.Xml.XmlWriter] $Writer, $Doc, $Command)
    $w = $Writer
    $w.WriteStartElement('command', 'command', $script:Ns.command)
    $w.WriteAttributeString('xmlns', 'maml', $null, $script:Ns.maml)
    $w.WriteAttributeString('xmlns', 'command', $null, $script:Ns.command)
    $w.WriteAttributeString('xmlns', 'dev', $null, $script:Ns.dev)
    $w.WriteAttributeString('xmlns', 'MSHelp', $null, $script:Ns.MSHelp)

    $w.WriteStartElement('command', 'details', $script:Ns.command)
    $w.WriteElementString('command', 'name', $script:Ns.command, $Command.Name)
    $w.WriteElementString('command', 'verb', $script:Ns.command, $Command.Verb)
    $w.WriteElementString('command', 'noun', $script:Ns.command, $Command.Noun)
    Write-Paragraphs $w 'description' $Doc.Synopsis
    $w.WriteEndElement()

    # RELATED LINKS close the description: the MAML has no navigationLink, since PowerShell offers
    # "Get-Help <name> -Online" for any help that has one, and this help has no online version to open.
    $related = @(foreach ($link in $Doc.Links) { if ($link.Uri) { "$($link.Text) ($($link.Uri))" } else { $link.Text } })
    $seeAlso = if ($related) { [pscustomobject]@{ Kind = 'Para'; Text = "See also: $($related -join ', ')." } }
    Write-Paragraphs $w 'description' (@($Doc.Description) + @($seeAlso))

    $docParams = @{}
    foreach ($p in $Doc.Parameters) { $docParams[$p.Name] = $p }
    $defaults = @{}
    foreach ($parameter in $Command.Parameters) {
        $p = $docParams[$parameter.Name]
        $defaults[$parameter.Name] = if ($p -and $p.Metadata -and $p.Metadata['Default value']) { $p.Metadata['Default value'] }
        elseif ($parameter.IsSwitch) { 'False' } elseif ($null -ne $parameter.CodeDefault) { $parameter.CodeDefault } else { 'None' }
    }

    $w.WriteStartElement('command', 'syntax', $script:Ns.command)
    foreach ($set in Get-SetsInOrder $Command) {
        $w.WriteStartElement('command', 'syntaxItem', $script:Ns.command)
        $w.WriteElementString('maml', 'name', $script:Ns.maml, $Command.Name)
        foreach ($name in $set.Order) {
            $parameter = @($Command.Parameters).Where({ $_.Name -eq $name }, 'First')[0]
            $perSet = @($parameter.PerSet).Where({ $_.Set -eq $set.Name }, 'First')[0]
            Write-MamlParameter $w $parameter $perSet @() $defaults[$name] -InSyntax
        }
        $w.WriteEndElement()
    }
    $w.WriteEndElement()

    # Documented order first, then anything the markdown lacks (with no description: the tests say so).
    $documented = @(Select-Property $Doc.Parameters Name)
    $real = @(Select-Property $Command.Parameters Name)
    $ordered = @($documented.Where({ $_ -in $real })) + @($real.Where({ $_ -notin $documented }))
    $w.WriteStartElement('command', 'parameters', $script:Ns.command)
    foreach ($name in $ordered) {
        $parameter = @($Command.Parameters).Where({ $_.Name -eq $name }, 'First')[0]
        $description = if ($docParams[$name]) { $docParams[$name].Description } else { @() }
        Write-MamlParameter $w $parameter (Merge-PerSet $parameter) $description $defaults[$name]
    }
    $w.WriteEndElement()

    foreach ($kind in 'input', 'return') {
        $items = if ($kind -eq 'input') { $Doc.Inputs } else { $Doc.Outputs }
        $w.WriteStartElement('command', $(if ($kind -eq 'input') { 'inputTypes' } else { 'returnValues' }), $script:Ns.command)
        foreach ($item in $items) {
            $w.WriteStartElement('command', $(if ($kind -eq 'input') { 'inputType' } else { 'returnValue' }), $script:Ns.command)
            $w.WriteStartElement('dev', 'type', $script:Ns.dev)
            $w.WriteElementString('maml', 'name', $script:Ns.maml, $item.Type)
            $w.WriteEndElement()
            Write-Paragraphs $w 'description' $item.Description
            $w.WriteEndElement()
        }
        $w.WriteEndElement()
    }

    if ($Doc.Notes) {
        $w.WriteStartElement('maml', 'alertSet', $script:Ns.maml)
        Write-Paragraphs $w 'alert' $Doc.Notes
        $w.WriteEndElement()
    }

    $w.WriteStartElement('command', 'examples', $script:Ns.command)
    foreach ($example in $Doc.Examples) {
        $w.WriteStartElement('command', 'example', $script:Ns.command)
        $label = "Example $($example.Number)" + $(if ($example.Title) { ": $($example.Title)" })
        $w.WriteElementString('maml', 'title', $script:Ns.maml, "---------- $label ----------")
        $w.WriteElementString('dev', 'code', $script:Ns.dev, $example.Code)
        $w.WriteStartElement('dev', 'remarks', $script:Ns.dev)
        foreach ($para in Get-Paragraphs $example.Remarks) { $w.WriteElementString('maml', 'para', $script:Ns.maml, $para) }
        # An empty last paragraph: Get-Help then leaves a blank line before the next example.
        $w.WriteElementString('maml', 'para', $script:Ns.maml, '')
        $w.WriteEndElement()
        $w.WriteEndElement()
    }
    $w.WriteEndElement()

    $w.WriteEndElement()
}

function Write-MamlFile {
    param([Parameter(Mandatory)] [string] $Path, [object[]] $Pairs)
    $settings = [System.Xml.XmlWriterSettings]::new()
    $settings.Indent = $true
    $settings.IndentChars = '  '
    $settings.NewLineChars = "`n"
    $settings.Encoding = [System.Text.UTF8Encoding]::new($false)
    $settings.CheckCharacters = $true
    $temporary = "$Path.$PID.tmp"
    $done = $false
    try {
        $writer = [System.Xml.XmlWriter]::Create($temporary, $settings)
        try {
            $writer.WriteStartDocument()
            $writer.WriteStartElement('helpItems', $script:Ns.msh)
            $writer.WriteAttributeString('schema', 'maml')
            foreach ($pair in $Pairs) {
                try { Write-MamlCommand $writer $pair.Doc $pair.Command }
                catch { throw "Cannot write the help of $($pair.Command.Name) ($($pair.Doc.Path)): $($_.Exception.InnerException.Message ?? $_.Exception.Message)" }
            }
            $writer.WriteEndElement()
            $writer.WriteEndDocument()
        }
        finally {
            $writer.Dispose()
        }
        # Read it back: what Get-Help gets must be well-formed and hold every command.
        $check = [xml]::new()
        $check.Load($temporary)
        $names = @($check.helpItems.command.details.name)
        if ($names.Count -ne $Pairs.Count) { throw "The MAML written to $temporary holds $($names.Count) commands, not $($Pairs.Count)." }
        Move-Item -Force -LiteralPath $temporary -Destination $Path
        $done = $true
    }
    finally {
        if (-not $done) { Remove-Item -LiteralPath $temporary -ErrorAction Ignore }
    }
}

function Format-Wrapped {
    param([string] $Text, [int] $Indent, [int] $Hanging = $Indent, [int] $Width = 80)
    $words = ($Text -split '\s+').Where({ $_ })
    $lines = [System.Collections.Generic.List[string]]::new()
    $line = ' ' * $Indent
    $empty = $true
    foreach ($word in $words) {
        if (-not $empty -and $line.Length + 1 + $word.Length -gt $Width) {
            $lines.Add($line)
            $line = ' ' * $Hanging
            $empty = $true
        }
        $line += $(if ($empty) { $word } else { ' ' + $word })
        $empty = $false
    }
    if (-not $empty) { $lines.Add($line) }
    $lines
}

function ConvertTo-AboutText {
    <# .SYNOPSIS An about topic as help text: headings in capitals, body indented four spaces, prose wrapped at 80 columns. #>
    param([Parameter(Mandatory)] $About)
    $out = [System.Collections.Generic.List[string]]::new()
    $out.Add('TOPIC'); $out.Add("    $($About.Name)"); $out.Add('')
    function Add-Blocks($blocks, [int] $indent) {
        $blocks = @($blocks)
        for ($b = 0; $b -lt $blocks.Count; $b++) {
            $block = $blocks[$b]
            switch ($block.Kind) {
                'Para' { foreach ($l in Format-Wrapped $block.Text $indent) { $out.Add($l) } }
                'Bullet' {
                    $marker = "$($block.Marker) "
                    foreach ($l in Format-Wrapped ($marker + $block.Text) $indent ($indent + $marker.Length)) { $out.Add($l) }
                }
                'Code' { foreach ($l in $block.Lines) { $out.Add(((' ' * ($indent + 4)) + $l).TrimEnd()) } }
                'Table' {
                    $rows = @($block.Rows)
                    if ($rows[0].Count -eq 2) {
                        foreach ($row in $rows | Select-Object -Skip 1) {
                            foreach ($l in Format-Wrapped $row[0] $indent) { $out.Add($l) }
                            foreach ($l in Format-Wrapped $row[1] ($indent + 4)) { $out.Add($l) }
                        }
                    }
                    else {
                        $cells = $rows
                        $widths = 0..($rows[0].Count - 1) | ForEach-Object { $c = $_; ($cells | ForEach-Object { $_[$c].Length } | Measure-Object -Maximum).Maximum }
                        $r = 0
                        foreach ($row in $cells) {
                            $out.Add(((' ' * $indent) + ((0..($row.Count - 1) | ForEach-Object { $row[$_].PadRight($widths[$_]) }) -join '  ')).TrimEnd())
                            if ($r++ -eq 0) { $out.Add(((' ' * $indent) + (($widths | ForEach-Object { '-' * $_ }) -join '  '))) }
                        }
                    }
                }
            }
            # A list stays together; every other block is followed by a blank line.
            if (-not ($block.Kind -eq 'Bullet' -and $b + 1 -lt $blocks.Count -and $blocks[$b + 1].Kind -eq 'Bullet')) { $out.Add('') }
        }
    }
    foreach ($section in $About.Sections) {
        $out.Add($section.Title.ToUpperInvariant())
        Add-Blocks $section.Blocks 4
        foreach ($sub in $section.Subsections) {
            $out.Add("  $($sub.Title)")
            $out.Add('  ' + ('-' * $sub.Title.Length))
            Add-Blocks $sub.Blocks 4
        }
    }
    ($out -join "`n").TrimEnd() + "`n"
}

#endregion

#region -UpdateMarkdown

function Update-CmdletMarkdown {
    <#
    .SYNOPSIS
        Rewrites the code-derived parts of one cmdlet's markdown (SYNTAX, parameter metadata), adds a stub for
        each undocumented parameter, or writes a skeleton when there is no file. Returns whether it changed.
    #>
    param([Parameter(Mandatory)] [string] $Path, [Parameter(Mandatory)] $Command)
    $fill = $script:Placeholder
    $stub = { param($parameter) @("### -$($parameter.Name)", '', "$fill Describe -$($parameter.Name) }}", '', '```yaml') + @(Format-YamlLines (Format-ParameterMetadata $parameter)) + @('```', '') }
    if (-not (Test-Path $Path)) {
        $lines = @("# $($Command.Name)", '', '## SYNOPSIS', '', "$fill One sentence: what $($Command.Name) does }}", '', '## SYNTAX', '') + @(Get-SyntaxMarkdown $Command) + @(
            '', '## DESCRIPTION', '', "$fill What it does, precisely }}", '', '## EXAMPLES', '',
            "### Example 1: $fill what it shows }}", '', '```powershell', "$fill code }}", '```', '', "$fill What it does }}", '',
            "### Example 2: $fill what it shows }}", '', '```powershell', "$fill code }}", '```', '', "$fill What it does }}", '',
            '## PARAMETERS', '')
        foreach ($parameter in $Command.Parameters) { $lines += & $stub $parameter }
        $lines += @('### CommonParameters', '', 'This cmdlet supports the common parameters: -Debug, -ErrorAction, -ErrorVariable, -InformationAction, -InformationVariable, -OutBuffer, -OutVariable, -PipelineVariable, -ProgressAction, -Verbose, -WarningAction and -WarningVariable. For more information, see [about_CommonParameters](https://go.microsoft.com/fwlink/?LinkID=113216).', '',
            '## INPUTS', '', "### $fill type }}", '', "$fill What binds from the pipeline }}", '', '## OUTPUTS', '')
        if ($Command.OutputTypes) { foreach ($t in $Command.OutputTypes) { $lines += @("### $t", '', "$fill What is written, and when }}", '') } }
        else { $lines += @('### None', '', "$fill Say that nothing is written }}", '') }
        $lines += @('## NOTES', '', '## RELATED LINKS', '', '- [about_Kernel](about_Kernel.md)')
        [IO.File]::WriteAllText($Path, ($lines -join "`n") + "`n", [System.Text.UTF8Encoding]::new($false))
        return $true
    }

    $problems = [System.Collections.Generic.List[string]]::new()
    $doc = Read-CmdletMarkdown $Path $problems
    if ($problems.Count) { throw "Cannot update ${Path}: fix it first:`n  " + ($problems -join "`n  ") }
    $original = [IO.File]::ReadAllText($Path).Replace("`r`n", "`n")
    $lines = [System.Collections.Generic.List[string]]::new([string[]]$original.TrimEnd("`n").Split("`n"))
    # Edits from the bottom up, so line numbers above stay valid. Numbers are 1-based.
    $edits = [System.Collections.Generic.List[object]]::new()
    if ($doc.ParametersRange) {
        $documented = @(Select-Property $doc.Parameters Name)
        $missing = @(@($Command.Parameters).Where({ $_.Name -notin $documented }))
        if ($missing) {
            $at = if ($doc.CommonParametersLine) { $doc.CommonParametersLine } else { $doc.ParametersRange.End + 1 }
            $edits.Add([pscustomobject]@{ Start = $at; End = $at - 1; Lines = @($missing | ForEach-Object { & $stub $_ }) })
        }
        foreach ($p in $doc.Parameters) {
            $parameter = $Command.Parameters | Where-Object Name -EQ $p.Name
            if (-not $parameter) { continue }
            $yaml = @('```yaml') + @(Format-YamlLines (Format-ParameterMetadata $parameter $(if ($p.Metadata) { $p.Metadata['Default value'] }))) + @('```')
            if ($p.MetadataRange) { $edits.Add([pscustomobject]@{ Start = $p.MetadataRange.Start; End = $p.MetadataRange.End; Lines = $yaml }) }
            else { $edits.Add([pscustomobject]@{ Start = $p.End + 1; End = $p.End; Lines = @('') + $yaml + @('') }) }
        }
    }
    if ($doc.SyntaxRange) {
        $edits.Add([pscustomobject]@{ Start = $doc.SyntaxRange.Start + 1; End = $doc.SyntaxRange.End; Lines = @('') + @(Get-SyntaxMarkdown $Command) + @('') })
    }
    foreach ($edit in $edits | Sort-Object Start -Descending) {
        $count = $edit.End - $edit.Start + 1
        if ($count -gt 0) { $lines.RemoveRange($edit.Start - 1, $count) }
        $lines.InsertRange([Math]::Min($edit.Start - 1, $lines.Count), [string[]]$edit.Lines)
    }
    # Keep blank lines single, as the rest of the file has them.
    $text = (($lines -join "`n") -replace "`n{3,}", "`n`n").TrimEnd("`n") + "`n"
    if ($text -ceq $original) { return $false }
    [IO.File]::WriteAllText($Path, $text, [System.Text.UTF8Encoding]::new($false))
    $true
}

function Format-YamlLines {
    param([System.Collections.IDictionary] $Metadata)
    foreach ($key in $Metadata.Keys) {
        if ($key -eq 'Required') { '' }
        "${key}: $($Metadata[$key])".TrimEnd()
    }
}

#endregion

#region Main

function Invoke-BuildHelp {
    $ErrorActionPreference = 'Stop'
    Set-StrictMode -Version 1.0
    $clock = [Diagnostics.Stopwatch]::StartNew()
    if (-not $DocsPath) { throw '-DocsPath is required (the markdown folder, e.g. docs/en-US).' }
    if (-not $ModulePath) { throw '-ModulePath is required (the staged manifest, e.g. out/Kernel/Kernel.psd1).' }
    if (-not $UpdateMarkdown -and -not $OutputPath) { throw '-OutputPath is required (e.g. out/Kernel/en-US).' }
    $docs = (Resolve-Path -LiteralPath $DocsPath).ProviderPath
    $manifest = $PSCmdlet.GetUnresolvedProviderPathFromPSPath($ModulePath)
    # The child pwsh reads the module while this process reads the markdown.
    $job = Start-ModuleHelpMetadata $manifest
    if ($UpdateMarkdown) {
        $commands = @(Receive-ModuleHelpMetadata $job)
        if (-not $commands) { throw "'$manifest' exports no cmdlets." }
        $changed = foreach ($command in $commands) {
            if (Update-CmdletMarkdown (Join-Path $docs "$($command.Name).md") $command) { "$($command.Name).md" }
        }
        Write-Host "Help markdown: $(@($changed).Count) of $($commands.Count) files updated in $docs$(if ($changed) { ' (' + ($changed -join ', ') + "). Fill in every '$($script:Placeholder) ... }}'." } else { '.' })"
        return
    }

    $problems = [System.Collections.Generic.List[string]]::new()
    $docsRead = foreach ($file in Get-ChildItem -LiteralPath $docs -Filter *.md -File | Where-Object Name -NotLike 'about_*' | Sort-Object Name) {
        Read-CmdletMarkdown $file.FullName $problems
    }
    $abouts = foreach ($file in Get-ChildItem -LiteralPath $docs -Filter 'about_*.md' -File | Sort-Object Name) { Read-AboutMarkdown $file.FullName $problems }
    if ($problems.Count) {
        $job.Process.Kill()
        # One line per problem (an exception's message loses its line breaks in the error view), then the error.
        foreach ($problem in $problems) { $Host.UI.WriteErrorLine($problem) }
        throw "The help markdown in $docs is malformed: $($problems.Count) problem(s), listed above as file:line: problem. The layout is in docs/README.md."
    }
    # The about topics need nothing from the module: convert them while the child pwsh works.
    New-Item -ItemType Directory -Force -Path $OutputPath | Out-Null
    $output = (Resolve-Path -LiteralPath $OutputPath).ProviderPath
    foreach ($about in $abouts) {
        [IO.File]::WriteAllText((Join-Path $output "$($about.Name).help.txt"), (ConvertTo-AboutText $about), [System.Text.UTF8Encoding]::new($false))
    }
    Write-Verbose ('Read the markdown and wrote the about topics in {0:0.00} s.' -f $clock.Elapsed.TotalSeconds)
    $commands = @(Receive-ModuleHelpMetadata $job)
    Write-Verbose ('Read the module in the child pwsh by {0:0.00} s.' -f $clock.Elapsed.TotalSeconds)
    if (-not $commands) { throw "'$manifest' exports no cmdlets." }
    $pairs = [System.Collections.Generic.List[object]]::new()
    foreach ($doc in $docsRead) {
        $command = $commands.Where({ $_.Name -eq $doc.Name }, 'First')[0]
        if (-not $command) { Write-Warning "$([IO.Path]::GetFileName($doc.Path)) documents '$($doc.Name)', which the module does not export; it is left out."; continue }
        $pairs.Add([pscustomobject]@{ Doc = $doc; Command = $command })
    }

    $documented = @(foreach ($pair in $pairs) { $pair.Doc.Name })
    foreach ($command in $commands.Where({ $_.Name -notin $documented })) {
        Write-Warning "$($command.Name) has no help: add $(Join-Path $docs "$($command.Name).md") (tools/Build-Help.ps1 -UpdateMarkdown writes a skeleton)."
        $skeleton = [pscustomobject]@{ Name = $command.Name; Path = ''; Synopsis = @(); Description = @(); Examples = @(); Parameters = @(); Inputs = @(); Outputs = @(); Notes = @(); Links = @() }
        $pairs.Add([pscustomobject]@{ Doc = $skeleton; Command = $command })
    }
    foreach ($pair in $pairs) {
        if (-not $pair.Doc.Path) { continue }
        foreach ($gap in Test-CmdletDoc $pair.Doc $pair.Command) { Write-Warning $gap.Message }
    }

    Write-Verbose ('Checked the markdown against the code by {0:0.00} s.' -f $clock.Elapsed.TotalSeconds)
    $helpFiles = @($commands.HelpFile | Select-Object -Unique)
    if ($helpFiles.Count -ne 1 -or -not $helpFiles[0]) { throw "The cmdlets name $($helpFiles.Count) help files ($($helpFiles -join ', ')); expected one." }
    $maml = Join-Path $output $helpFiles[0]
    Write-MamlFile $maml ($pairs | Sort-Object { $_.Command.Name })
    Write-Host ("Help: {0} cmdlets -> {1}; {2} about topic(s) -> {3} ({4:0.0} s)" -f $pairs.Count, $maml, @($abouts).Count, $output, $clock.Elapsed.TotalSeconds)
}

# Dot-sourced (the Pester suite does it inside New-Module): only define the functions.
if ($MyInvocation.InvocationName -eq '.' -or $ExecutionContext.SessionState.Module) { return }

if ($EmitMetadata) {
    # The child process: plain JSON on stdout, or one plain line on stderr and exit code 1.
    $ErrorActionPreference = 'Stop'
    try {
        $module = Import-Module -Name (Resolve-Path -LiteralPath $ModulePath).ProviderPath -Force -PassThru -ErrorAction Stop | Where-Object { $_.ExportedCmdlets.Count } | Select-Object -First 1
        if (-not $module) { throw "'$ModulePath' exports no cmdlets." }
        ConvertTo-Json -InputObject @(Get-CommandHelpMetadata -Module $module) -Depth 8 -Compress
    }
    catch {
        [Console]::Error.WriteLine($_.Exception.Message)
        exit 1
    }
    return
}

Invoke-BuildHelp

#endregion
