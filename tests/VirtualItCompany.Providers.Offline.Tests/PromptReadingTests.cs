namespace VirtualItCompany.Providers.Offline.Tests;

/// <summary>The offline model reads a prompt's parts by what their labels mean, whatever the style they are written in.</summary>
public sealed class PromptReadingTests
{
    [Fact]
    public void Headings_of_any_level_and_wording_start_sections()
    {
        var s = PromptSections.Parse("""
            # Title
            Recipe box

            ## Project Overview:
            A place to keep family recipes.

            ## Acceptance Criteria:
            - Save a recipe
            - Search recipes by ingredient

            ### Features
            - Save recipe: stores a recipe
            - Search — finds recipes
            """);

        Assert.Equal("Recipe box", s.Title);
        Assert.Equal("A place to keep family recipes.", s.Description);
        Assert.Equal(["Save a recipe", "Search recipes by ingredient"], s.Criteria());
        Assert.Equal([("Save recipe", "stores a recipe"), ("Search", "finds recipes")], s.Features());
    }

    [Fact]
    public void Bold_labels_and_label_lines_start_sections_with_the_text_after_them()
    {
        var s = PromptSections.Parse("""
            **Project name:** Recipe box
            **Summary**
            A place to keep family recipes.
            Must-haves:
            * Save a recipe
            1. Search by ingredient
            Client's answers: It should work offline.
            """);

        Assert.Equal("Recipe box", s.Title);
        Assert.Equal("A place to keep family recipes.", s.Description);
        Assert.Equal(["Save a recipe", "Search by ingredient"], s.Criteria());
        Assert.Equal(["It should work offline."], s.Items(Section.ClientAnswers));
    }

    [Fact]
    public void A_title_line_and_an_unlabelled_top_heading_name_the_project()
    {
        Assert.Equal("Recipe box", PromptSections.Parse("Title: Recipe box\nDescription: Keeps recipes.").Title);
        var s = PromptSections.Parse("# Recipe box\n\nKeeps family recipes.\n\n## Must haves\n- Save a recipe");
        Assert.Equal("Recipe box", s.Title);
        Assert.Equal("Keeps family recipes.", s.Description);
        Assert.Equal(["Save a recipe"], s.Criteria());
    }

    [Fact]
    public void A_brief_with_headings_and_labels_of_its_own_is_read_whole()
    {
        var s = PromptSections.Parse("""
            ## Brief title
            Recipe box

            ## Brief description
            A place to keep family recipes.
            ## Whatever the client wrote
            More text.
            # Background story
            Features:
            - shared with the family
            **Must-haves**
            - print a recipe

            ## Acceptance criteria
            - Save a recipe
            """);

        string description = s.Description;
        Assert.StartsWith("A place to keep family recipes.", description, StringComparison.Ordinal);
        Assert.Contains("## Whatever the client wrote\nMore text.\n# Background story\nFeatures:\n- shared with the family\n**Must-haves**\n- print a recipe", description, StringComparison.Ordinal);
        Assert.Equal(["Save a recipe"], s.Criteria());
        Assert.Empty(s.Features());
    }

    [Fact]
    public void File_headings_stay_in_the_source_files_section_and_fenced_contents_start_nothing()
    {
        var s = PromptSections.Parse("""
            **Files**
            - `Service/Program.cs`
            * README.md

            ## Source Files
            ### Service/Program.cs
            ```csharp
            // Title: not a label
            ```

            ### README.md
            ````markdown
            # Title
            ## Acceptance criteria
            - from the readme
            ```
            Environment: not a label either
            ````

            ## Environment
            production
            """);

        Assert.Equal(["README.md", "Service/Program.cs"], s.FilePaths().Order(StringComparer.Ordinal));
        Assert.Equal("", s.Title);
        Assert.Empty(s.Criteria());
        Assert.Equal("production", s.FirstLine(Section.Environment));
    }

    [Fact]
    public void Requirements_written_as_a_list_are_the_criteria_when_there_are_none_else()
    {
        Assert.Equal(["Save a recipe", "Print a recipe"], PromptSections.Parse("## Requirements\n- Save a recipe\n- Print a recipe").Criteria());
        Assert.Empty(PromptSections.Parse("## Requirements\nThe client wants recipes.\n- Save a recipe").Criteria());
        Assert.Equal(["Search"], PromptSections.Parse("## Requirements\n- Save\n\n## Criteria\n- Search").Criteria());
    }

    [Theory]
    [InlineData("", "# Task: write the automated tests", nameof(TaskKind.WriteTests))]
    [InlineData("You are a developer. Write the tests first.", "# Task: implement one planned feature", nameof(TaskKind.ImplementFeature))]
    [InlineData("", "Please write unit tests for the service below.\n\n## Features\n- List", nameof(TaskKind.WriteTests))]
    [InlineData("", "Implement the feature below.", nameof(TaskKind.ImplementFeature))]
    [InlineData("", "Build this feature: List todos", nameof(TaskKind.ImplementFeature))]
    [InlineData("", "Set up the repository for a new service.", nameof(TaskKind.Scaffold))]
    [InlineData("", "Bootstrap the project skeleton.", nameof(TaskKind.Scaffold))]
    [InlineData("You are the QA engineer of the team: write tests for every feature.", "Title: Recipe box", nameof(TaskKind.WriteTests))]
    [InlineData("You are a developer. Do not write tests; implement the feature you are given.", "**Feature:** List", nameof(TaskKind.ImplementFeature))]
    [InlineData("You scaffold repositories. Do not implement features.", "## Title\nRecipe box", nameof(TaskKind.Scaffold))]
    [InlineData("", "What is the capital of France?", nameof(TaskKind.None))]
    public void The_task_is_read_by_meaning_from_the_task_line_else_the_first_user_line_else_the_system_message(string system, string user, string expected)
    {
        var s = PromptSections.Parse([(system, true), (user, false)]);

        Assert.Equal(expected, s.TaskAmong(TaskKind.WriteTests, TaskKind.ImplementFeature, TaskKind.Scaffold).ToString());
    }

    [Theory]
    [InlineData("capture the requirements", nameof(TaskKind.CaptureRequirements))]
    [InlineData("plan the features", nameof(TaskKind.PlanFeatures))]
    [InlineData("write the design notes", nameof(TaskKind.Design))]
    [InlineData("review the code", nameof(TaskKind.Review))]
    [InlineData("plan the deployment", nameof(TaskKind.PlanDeployment))]
    [InlineData("choose the command that runs the tests", nameof(TaskKind.ChooseTestCommand))]
    [InlineData("write a note to the client about the staging deployment", nameof(TaskKind.ClientNote))]
    [InlineData("Tell our customer that the site is ready to try", nameof(TaskKind.ClientNote))]
    public void Every_kind_of_task_is_told_apart(string task, string expected) =>
        Assert.Equal(expected, PromptTask.Read(task, Enum.GetValues<TaskKind>()).ToString());

    [Fact]
    public void The_built_in_system_prompts_hold_no_labels()
    {
        string[] systems =
        [
            VirtualItCompany.Agents.ProjectManagerPrompts.RequirementsSystem, VirtualItCompany.Agents.ProjectManagerPrompts.PlanningSystem,
            VirtualItCompany.Agents.ProjectManagerPrompts.ClientNoteSystem, VirtualItCompany.Agents.DesignerPrompts.System,
            VirtualItCompany.Agents.DevOpsPrompts.SetupSystem, VirtualItCompany.Agents.DevOpsPrompts.DeploymentSystem,
            VirtualItCompany.Agents.DeveloperPrompts.System, VirtualItCompany.Agents.CodeReviewerPrompts.System,
            VirtualItCompany.Agents.TesterPrompts.WriteSystem, VirtualItCompany.Agents.TesterPrompts.CommandSystem,
        ];

        foreach (var system in systems)
        {
            var s = PromptSections.Parse([(system, true)]);
            Assert.All(Enum.GetValues<Section>(), section => Assert.False(s.Has(section), $"{section} in: {system}"));
        }
    }
}
