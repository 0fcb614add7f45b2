using System.IO.Compression;
using System.Text.RegularExpressions;
using Microsoft.Playwright;

namespace VirtualItCompany.WebHost.BrowserTests;

/// <summary>The client portal (index.html) in headless Chromium, against the real web host and the offline model.</summary>
[Collection(BrowserCollection.Name)]
public sealed class PortalTests(BrowserHost host)
{
    private static readonly TimeSpan Step = TimeSpan.FromMinutes(6); // stages build, test and deploy real code in the sandbox (slow on a loaded 2-core CI machine)

    [Fact]
    public async Task A_client_signs_in_submits_a_brief_follows_it_live_answers_approves_and_downloads_the_code()
    {
        var (page, errors) = await host.OpenAsync("/");

        // Sign in (the development token endpoint) as a client.
        await page.GetByLabel("User").FillAsync("alice");
        await page.GetByLabel("Role").SelectOptionAsync("client");
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await Assertions.Expect(page.Locator("#whoami")).ToHaveTextAsync("Signed in as alice (client).");
        await BrowserHost.ScreenshotAsync(page, "portal-01-signed-in");

        // A brief with no acceptance criteria: the team's first question asks for them.
        await page.GetByLabel("Title").FillAsync("Cafe recipes");
        await page.GetByLabel("Description").FillAsync("A recipe box for a small cafe.");
        await page.GetByLabel("Acceptance criteria (one a line)").FillAsync("");
        await page.GetByRole(AriaRole.Button, new() { Name = "Submit" }).ClickAsync();
        var project = page.Locator("#project");
        await Assertions.Expect(project).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator("#project-title")).ToHaveTextAsync("Cafe recipes");
        string projectId = (await project.GetAttributeAsync("data-project-id"))!;
        Assert.Matches("^[0-9A-Za-z_-]+$", projectId);

        // The question arrives live (over the event stream: the page is not reloaded).
        await Assertions.Expect(page.Locator("#question")).ToContainTextAsync("The team asks", new() { Timeout = Ms(Step) });
        await Assertions.Expect(page.Locator("#project-stage")).ToHaveTextAsync("RequirementsAnalysis");
        await Assertions.Expect(page.Locator("#events")).ToContainTextAsync("clientInputRequested");
        await BrowserHost.ScreenshotAsync(page, "portal-02-question");

        await page.GetByLabel("Your answer, requested changes, a reason or an amount").FillAsync("It lists recipes.\nIt shows one recipe.");
        await page.GetByRole(AriaRole.Button, new() { Name = "Answer" }).ClickAsync();

        // The stages advance live, up to the client review.
        await Assertions.Expect(page.Locator("#project-stage")).ToHaveTextAsync("ClientReview", new() { Timeout = Ms(Step) });
        await Assertions.Expect(page.Locator("#question")).ToContainTextAsync("The team asks (Review)", new() { Timeout = Ms(Step) });
        var stagesSeen = await page.Locator("#events li[data-type=stageChanged]").AllTextContentsAsync();
        foreach (string stage in new[] { "ProjectPlanning", "SetupDevelopment", "FeatureDevelopment", "CodeReview", "Testing", "StagingDeployment", "ClientReview" })
        {
            Assert.Contains(stagesSeen, s => s.EndsWith("→ " + stage, StringComparison.Ordinal));
        }

        await Assertions.Expect(page.Locator("#stages li.done")).ToHaveCountAsync(7); // RequirementsAnalysis .. StagingDeployment
        await Assertions.Expect(page.Locator("#stages li.current")).ToHaveTextAsync("ClientReview");
        await BrowserHost.ScreenshotAsync(page, "portal-03-client-review");

        // Approve: production, monitoring, completed.
        await page.GetByLabel("Your answer, requested changes, a reason or an amount").FillAsync("");
        await page.GetByRole(AriaRole.Button, new() { Name = "Approve" }).ClickAsync();
        await Assertions.Expect(page.Locator("#project-status")).ToHaveTextAsync("Completed", new() { Timeout = Ms(Step) });
        await Assertions.Expect(page.Locator("#events")).ToContainTextAsync("projectCompleted");

        // Download the delivered code: a zip with the service's files.
        var download = await page.RunAndWaitForDownloadAsync(() => page.GetByRole(AriaRole.Button, new() { Name = "Download code (zip)" }).ClickAsync());
        Assert.Equal(projectId + ".zip", download.SuggestedFilename);
        string zipPath = Path.Combine(Path.GetTempPath(), "vic-" + Guid.NewGuid().ToString("N") + ".zip");
        await download.SaveAsAsync(zipPath);
        try
        {
            using var zip = ZipFile.OpenRead(zipPath);
            var names = zip.Entries.Select(e => e.FullName).ToList();
            Assert.Contains("Service/Program.cs", names);
            Assert.Contains(names, n => n.StartsWith("Service/Features/", StringComparison.Ordinal) && n.EndsWith("Feature.cs", StringComparison.Ordinal));
            Assert.Contains(names, n => n.StartsWith("Tests/", StringComparison.Ordinal));
            Assert.All(zip.Entries, e => Assert.True(e.Length > 0 || e.FullName.EndsWith('/'), e.FullName + " is empty"));
        }
        finally
        {
            File.Delete(zipPath);
        }

        await BrowserHost.ScreenshotAsync(page, "portal-04-completed");
        Assert.Empty(errors); // no script error and no Content-Security-Policy violation
    }

    [Fact]
    public async Task The_pages_run_under_a_content_security_policy_without_inline_script()
    {
        var (page, errors) = await host.OpenAsync("/");
        var response = await page.ReloadAsync();

        string csp = (await response!.AllHeadersAsync())["content-security-policy"];
        Assert.Matches(new Regex("script-src 'self'(;|$)"), csp);
        Assert.DoesNotContain("unsafe-inline", csp, StringComparison.Ordinal);
        Assert.Equal(0, await page.Locator("script:not([src])").CountAsync());
        Assert.Empty(errors);
    }

    internal static float Ms(TimeSpan time) => (float)time.TotalMilliseconds;
}
