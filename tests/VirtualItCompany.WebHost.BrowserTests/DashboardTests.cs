using System.Globalization;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Playwright;

namespace VirtualItCompany.WebHost.BrowserTests;

/// <summary>The admin dashboard (admin.html) in headless Chromium while a client's project runs on the real web host.</summary>
[Collection(BrowserCollection.Name)]
public sealed class DashboardTests(BrowserHost host)
{
    [Fact]
    public async Task An_admin_sees_the_projects_cost_by_stage_and_model_the_live_event_log_and_the_lifecycle()
    {
        var ct = TestContext.Current.CancellationToken;
        using var bob = await SignedInAsync("bob", "client", ct);
        var created = await bob.PostAsJsonAsync("/api/projects", new { title = "Bob's booking page", description = "A booking page for a barber.", acceptanceCriteria = new[] { "It lists free slots." }, budget = 5m }, ct);
        created.EnsureSuccessStatusCode();
        string projectId = (await created.Content.ReadFromJsonAsync<JsonElement>(ct)).GetProperty("id").GetString()!;

        // The dashboard opens while the project runs: its log and costs follow it live.
        var (page, errors) = await host.OpenAsync("/admin.html");
        await Assertions.Expect(page.Locator("#whoami")).ToHaveTextAsync("Signed in as operator (admin).");
        await Assertions.Expect(page.Locator($"#event-log li[data-project='{projectId}'][data-type=stageChanged]").First).ToBeVisibleAsync(new() { Timeout = PortalTests.Ms(TimeSpan.FromMinutes(6)) });

        // The project stops at the client review: no more model calls, so the costs stand still and can be compared.
        await WaitForStageAsync(bob, projectId, "ClientReview", ct);
        using var admin = await SignedInAsync("auditor", "admin", ct);
        var report = await admin.GetFromJsonAsync<JsonElement>("/api/admin/costs", ct);
        var line = report.GetProperty("byProject").EnumerateArray().Single(l => l.GetProperty("key").GetString() == projectId);
        long calls = line.GetProperty("calls").GetInt64();
        Assert.True(calls > 0, "the project made no model call");

        var row = page.Locator($"#by-project tr[data-key='{projectId}']");
        await Assertions.Expect(row).ToContainTextAsync("Bob's booking page", new() { Timeout = 30_000 });
        await Assertions.Expect(row).ToContainTextAsync(calls.ToString(CultureInfo.InvariantCulture) + (calls == 1 ? " call" : " calls"), new() { Timeout = 30_000 });
        await Assertions.Expect(row).ToContainTextAsync("$" + line.GetProperty("cost").GetDecimal().ToString("0.00####", CultureInfo.InvariantCulture));
        await Assertions.Expect(page.Locator($"#chart-by-project [data-key='{projectId}']")).ToHaveCountAsync(1);
        await Assertions.Expect(page.Locator("#chart-by-model [data-key='offline/offline-no-ai'], #chart-by-model [data-key]").First).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator("#by-stage [data-stage=ClientReview]")).ToContainTextAsync("1");
        await Assertions.Expect(page.Locator($"#projects tr[data-key='{projectId}']")).ToContainTextAsync("bob");

        // Worker health and the router's decisions, as the admin API reports them.
        await Assertions.Expect(page.Locator("#workers")).ToHaveAttributeAsync("data-status", "healthy");
        await Assertions.Expect(page.Locator("#workers")).ToContainTextAsync("items finished");
        var routing = await admin.GetFromJsonAsync<JsonElement>("/api/admin/routing?limit=1", ct);
        string newestModel = routing.GetProperty("recent")[0].GetProperty("modelId").GetString()!;
        await Assertions.Expect(page.Locator("#routing tbody tr").First).ToContainTextAsync(newestModel, new() { Timeout = 30_000 });
        await Assertions.Expect(page.Locator("#routing-mix tbody tr").First).ToContainTextAsync(newestModel);

        // The verdicts so far (code review, tests) on the developer's work, per model, as the API and the table show them.
        var outcomes = routing.GetProperty("outcomes").EnumerateArray().ToList();
        var development = outcomes.Single(o => o.GetProperty("role").GetString() == "Developer" && o.GetProperty("stage").GetString() == "FeatureDevelopment");
        int accepted = development.GetProperty("accepted").GetInt32(), sentBack = development.GetProperty("sentBack").GetInt32();
        Assert.True(accepted + sentBack >= 2, $"review and tests judged the code before the client review; the API counts {accepted} + {sentBack}");
        Assert.False(routing.GetProperty("outcomeFeedbackEnabled").GetBoolean());
        var outcomeRow = page.Locator($"#outcomes tr[data-key='{development.GetProperty("modelId").GetString()}|Developer|FeatureDevelopment']");
        await Assertions.Expect(outcomeRow.Locator("td").Nth(2)).ToHaveTextAsync(accepted.ToString(CultureInfo.InvariantCulture), new() { Timeout = 30_000 });
        await Assertions.Expect(outcomeRow.Locator("td").Nth(3)).ToHaveTextAsync(sentBack.ToString(CultureInfo.InvariantCulture));
        await Assertions.Expect(page.Locator("#outcome-feedback")).ToContainTextAsync("is off");

        // The lifecycle, drawn from its Mermaid text: every stage a node, every transition an edge.
        string mermaid = await admin.GetStringAsync("/lifecycle.mmd", ct);
        var transitions = mermaid.Split('\n').Select(l => l.Trim()).Where(l => l.Contains("-->", StringComparison.Ordinal) && !l.StartsWith("[*]", StringComparison.Ordinal)).ToList();
        var stages = transitions.SelectMany(t => t.Split(':')[0].Split("-->").Select(s => s.Trim())).Where(s => s != "[*]").Distinct().ToList();
        Assert.Contains("ClientReview", stages);
        await Assertions.Expect(page.Locator("#lifecycle svg g.node")).ToHaveCountAsync(stages.Count);
        await Assertions.Expect(page.Locator("#lifecycle svg g.edge")).ToHaveCountAsync(transitions.Count);
        await Assertions.Expect(page.Locator("#lifecycle svg g.node[data-stage=ClientReview]")).ToHaveClassAsync(new System.Text.RegularExpressions.Regex("\\bactive\\b"));

        await BrowserHost.ScreenshotAsync(page, "admin-01-dashboard");
        Assert.Empty(errors);

        (await bob.PostAsync($"/api/projects/{projectId}/cancel", null, ct)).EnsureSuccessStatusCode(); // stops its staging deployment
    }

    private async Task<HttpClient> SignedInAsync(string subject, string role, CancellationToken ct)
    {
        var http = new HttpClient { BaseAddress = host.Address };
        var response = await http.PostAsJsonAsync("/api/dev/token", new { subject, role }, ct);
        response.EnsureSuccessStatusCode();
        string token = (await response.Content.ReadFromJsonAsync<JsonElement>(ct)).GetProperty("accessToken").GetString()!;
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return http;
    }

    private static async Task WaitForStageAsync(HttpClient http, string projectId, string stage, CancellationToken ct)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(TimeSpan.FromMinutes(8));
        while (true)
        {
            var project = await http.GetFromJsonAsync<JsonElement>($"/api/projects/{projectId}", timeout.Token);
            if (project.GetProperty("stage").GetString() == stage && project.GetProperty("status").GetString() == "WaitingForClient")
            {
                return;
            }

            Assert.NotEqual("Cancelled", project.GetProperty("status").GetString());
            await Task.Delay(TimeSpan.FromMilliseconds(250), timeout.Token);
        }
    }
}
