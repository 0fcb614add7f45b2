using VirtualItCompany.Security;

namespace VirtualItCompany.Tests.Security;

/// <summary>Events are checked in place and rewritten only when they hold a secret, wherever in the event it is.</summary>
public sealed class EventRedactorTests
{
    private static readonly ProjectId Id = new("prj_redaction");

    private static readonly SecretRedactor Redactor = new([new("DbPassword", "p+ss/w<rd&'long")], fromEnvironment: false);

    [Fact]
    public void An_event_without_a_secret_is_returned_as_it_is()
    {
        var redactor = new EventRedactor(Redactor);
        ProjectEvent files = new FilesChanged(["src/app.cs", "README.md"], "abc123") { ProjectId = Id };
        ProjectEvent answer = new ClientAnswered("Use a dark theme; sk- is not a key.") { ProjectId = Id };

        Assert.Same(files, redactor.Redact(files));
        Assert.Same(answer, redactor.Redact(answer));
    }

    [Fact]
    public void A_secret_whose_characters_json_escapes_is_replaced_in_a_nested_list()
    {
        var redactor = new EventRedactor(Redactor);
        var created = new ProjectCreated(
            new ProjectBrief
            {
                Title = "Shop",
                Description = "A shop.",
                AcceptanceCriteria = ["Orders are stored", "Connect with p+ss/w<rd&'long to the database"],
            },
            LifecycleStage.RequirementsAnalysis) { ProjectId = Id, Version = 1 };

        var redacted = Assert.IsType<ProjectCreated>(redactor.Redact(created));

        Assert.NotSame(created, redacted);
        Assert.Equal("Connect with [secret:DbPassword] to the database", redacted.Brief.AcceptanceCriteria[1]);
        Assert.Equal("Orders are stored", redacted.Brief.AcceptanceCriteria[0]);
        Assert.Equal(created.Brief.Title, redacted.Brief.Title);
        Assert.Equal(1, redacted.Version);
        Assert.DoesNotContain("p+ss", ProjectEventSerializer.Serialize(redacted), StringComparison.Ordinal);
    }

    [Fact]
    public void A_key_shape_in_a_file_path_list_is_replaced_and_the_other_paths_kept()
    {
        var redactor = new EventRedactor(SecretRedactor.PatternsOnly);
        var files = new FilesChanged(["docs/ghp_abcdefghijklmnopqrstuvwxyz0123456789.txt", "src/app.cs"], null) { ProjectId = Id };

        var redacted = Assert.IsType<FilesChanged>(redactor.Redact(files));

        Assert.Equal(["docs/[secret:github-token].txt", "src/app.cs"], redacted.Paths);
    }
}
