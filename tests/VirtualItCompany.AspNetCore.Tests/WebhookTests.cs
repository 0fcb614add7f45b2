using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace VirtualItCompany.AspNetCore.Tests;

/// <summary>Webhooks through the real host: subscriptions per client, signed deliveries to a real receiver on 127.0.0.1, retries, a restart on SQLite, the inbound endpoint.</summary>
public sealed class WebhookTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task A_delivery_is_signed_with_HMAC_SHA256_over_timestamp_and_raw_body_as_an_independent_check_computes_it()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var receiver = await WebhookReceiver.StartAsync();
        await using var host = new WebHostFactory();
        var alice = host.ClientFor("alice");
        var subscription = await SubscribeAsync(alice, receiver.Url);
        var project = await WebHostFactory.SubmitAsync(alice, "Alice's hooked project");

        (await alice.PostAsJsonAsync($"/api/projects/{project.Id}/cancel", new { text = "changed my mind" }, ct)).EnsureSuccessStatusCode();
        var received = await WaitForAsync(() => receiver.Requests.FirstOrDefault(r => r.Answer == 200), ct);

        // The check a receiver in any language makes: HMAC-SHA256(secret, "{timestamp}." + raw body), hex, constant-time compare.
        string timestamp = received.Headers[WebhookSignature.TimestampHeader];
        byte[] signed = [.. Encoding.UTF8.GetBytes(timestamp + "."), .. received.Body];
        string expected = "sha256=" + Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(subscription.Secret!), signed));
        Assert.True(CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(expected), Encoding.ASCII.GetBytes(received.Headers[WebhookSignature.SignatureHeader])), "the signature does not verify");
        Assert.InRange(long.Parse(timestamp, CultureInfo.InvariantCulture), DateTimeOffset.UtcNow.AddMinutes(-5).ToUnixTimeSeconds(), DateTimeOffset.UtcNow.ToUnixTimeSeconds() + 1);

        // A body changed by one byte no longer verifies, and neither does another subscription's secret.
        byte[] tampered = [.. received.Body];
        tampered[^2] ^= 1;
        string tamperedSignature = "sha256=" + Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(subscription.Secret!), (byte[])[.. Encoding.UTF8.GetBytes(timestamp + "."), .. tampered]));
        Assert.NotEqual(received.Headers[WebhookSignature.SignatureHeader], tamperedSignature);
        Assert.False(WebhookSignature.Verify("whsec_another", timestamp, received.Headers[WebhookSignature.SignatureHeader], received.Body, DateTimeOffset.UtcNow, TimeSpan.FromMinutes(5)));
        Assert.False(WebhookSignature.Verify(subscription.Secret!, timestamp, received.Headers[WebhookSignature.SignatureHeader], received.Body, DateTimeOffset.UtcNow.AddMinutes(6), TimeSpan.FromMinutes(5)));

        using var body = JsonDocument.Parse(received.Body);
        Assert.Equal("projectCancelled", body.RootElement.GetProperty("type").GetString());
        Assert.Equal(project.Id, body.RootElement.GetProperty("projectId").GetString());
        Assert.Equal(received.Headers[WebhookSignature.DeliveryHeader], body.RootElement.GetProperty("id").GetString());
        Assert.Equal("changed my mind", body.RootElement.GetProperty("event").GetProperty("reason").GetString());
        Assert.Equal("projectCancelled", received.Headers[WebhookSignature.EventHeader]);
        Assert.StartsWith("application/json", received.Headers["Content-Type"], StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_receiver_that_fails_first_gets_the_same_delivery_again_with_backoff_until_it_accepts_and_the_admin_view_shows_it()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var receiver = await WebhookReceiver.StartAsync(failFirst: 2);
        await using var host = new WebHostFactory();
        var alice = host.ClientFor("alice");
        var subscription = await SubscribeAsync(alice, receiver.Url);
        var project = await WebHostFactory.SubmitAsync(alice);

        (await alice.PostAsJsonAsync($"/api/projects/{project.Id}/cancel", new { text = "stop" }, ct)).EnsureSuccessStatusCode();
        await WaitForAsync(() => receiver.Requests.FirstOrDefault(r => r.Answer == 200), ct);

        var tries = receiver.Requests.ToList();
        Assert.Equal([500, 500, 200], tries.Select(r => r.Answer));
        Assert.Single(tries.Select(r => r.Headers[WebhookSignature.DeliveryHeader]).Distinct());
        Assert.All(tries, r => Assert.True(WebhookSignature.Verify(subscription.Secret!, r.Headers[WebhookSignature.TimestampHeader], r.Headers[WebhookSignature.SignatureHeader], r.Body, DateTimeOffset.UtcNow, TimeSpan.FromMinutes(5))));

        var deliveries = await WaitForAsync(
            async () => (await host.ClientFor("root", "admin").GetFromJsonAsync<List<WebhookDeliveryView>>("/api/admin/webhooks/deliveries", ct))!.FirstOrDefault(d => d.Status == "Delivered"),
            ct);
        Assert.Equal(3, deliveries.Attempts);
        Assert.Equal(200, deliveries.LastStatusCode);
        Assert.Equal(subscription.Id, deliveries.SubscriptionId);
        Assert.Equal("alice", deliveries.Client);
        Assert.Equal(HttpStatusCode.Forbidden, (await alice.GetAsync("/api/admin/webhooks/deliveries", ct)).StatusCode);
    }

    [Fact]
    public async Task A_delivery_the_receiver_refused_before_a_restart_is_delivered_by_the_next_host_on_the_same_SQLite_files()
    {
        var ct = TestContext.Current.CancellationToken;
        string folder = Directory.CreateTempSubdirectory("vic-webhost-restart-").FullName;
        try
        {
            await using var receiver = await WebhookReceiver.StartAsync();
            receiver.Refusing = true;
            WebhookSubscriptionView? subscription = null;
            string projectId;
            await using (var first = new WebHostFactory(folder: folder))
            {
                var alice = first.ClientFor("alice");
                subscription = await SubscribeAsync(alice, receiver.Url);
                projectId = (await WebHostFactory.SubmitAsync(alice)).Id;
                (await alice.PostAsJsonAsync($"/api/projects/{projectId}/cancel", new { text = "before the restart" }, ct)).EnsureSuccessStatusCode();
                await WaitForAsync(() => receiver.Requests.FirstOrDefault(), ct); // tried, refused
            }

            int refused = receiver.Requests.Count;
            receiver.Refusing = false;
            await using var second = new WebHostFactory(folder: folder);
            var admin = second.ClientFor("root", "admin");
            var delivered = await WaitForAsync(() => receiver.Requests.FirstOrDefault(r => r.Answer == 200), ct);

            Assert.True(refused >= 1);
            Assert.All(receiver.Requests, r => Assert.Equal(delivered.Headers[WebhookSignature.DeliveryHeader], r.Headers[WebhookSignature.DeliveryHeader]));
            Assert.Single(receiver.Requests, r => r.Answer == 200);
            using var body = JsonDocument.Parse(delivered.Body);
            Assert.Equal(projectId, body.RootElement.GetProperty("projectId").GetString());
            var mine = await second.ClientFor("alice").GetFromJsonAsync<List<WebhookSubscriptionView>>("/api/webhooks", ct);
            Assert.Equal([subscription!.Id], mine!.Select(s => s.Id));
            Assert.Null(mine![0].Secret);
            var view = await WaitForAsync(async () => (await admin.GetFromJsonAsync<List<WebhookDeliveryView>>("/api/admin/webhooks/deliveries", ct))!.FirstOrDefault(d => d.Status == "Delivered"), ct);
            // The first host stops as soon as the receiver has seen its try, often before it records the answer: the try may be uncounted.
            Assert.InRange(view.Attempts, 1, refused + 1);
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            try
            {
                Directory.Delete(folder, recursive: true);
            }
            catch (IOException)
            {
                // a file still held by a closing connection: the temp folder is cleaned by the system
            }
        }
    }

    [Fact]
    public async Task Only_events_after_a_subscription_was_created_and_of_its_types_are_delivered()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var receiver = await WebhookReceiver.StartAsync();
        await using var host = new WebHostFactory();
        var alice = host.ClientFor("alice");
        var before = await WebHostFactory.SubmitAsync(alice, "Cancelled before");
        (await alice.PostAsJsonAsync($"/api/projects/{before.Id}/cancel", new { text = "early" }, ct)).EnsureSuccessStatusCode();
        await SubscribeAsync(alice, receiver.Url, ["projectCancelled"]);
        var other = await SubscribeAsync(host.ClientFor("bob"), receiver.Url, ["projectCompleted"]);
        var after = await WebHostFactory.SubmitAsync(alice, "Cancelled after");
        (await alice.PostAsJsonAsync($"/api/projects/{after.Id}/cancel", new { text = "late" }, ct)).EnsureSuccessStatusCode();

        await WaitForAsync(() => receiver.Requests.FirstOrDefault(), ct);
        var bodies = receiver.Requests.Select(r => JsonDocument.Parse(r.Body).RootElement.GetProperty("projectId").GetString()).ToList();

        Assert.Equal([after.Id], bodies);
        Assert.DoesNotContain(receiver.Requests, r => r.Headers[WebhookSignature.SignatureHeader] is { } s && WebhookSignature.Verify(other.Secret!, r.Headers[WebhookSignature.TimestampHeader], s, r.Body, DateTimeOffset.UtcNow, TimeSpan.FromMinutes(5)));
    }

    [Fact]
    public async Task A_client_never_sees_or_deletes_another_clients_subscription_nor_acts_inbound_on_its_project()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var host = new WebHostFactory();
        var alice = host.ClientFor("alice");
        var mallory = host.ClientFor("mallory");
        var subscription = await SubscribeAsync(alice, new Uri("http://127.0.0.1:9/alice-secret-hook"));
        var project = await WebHostFactory.SubmitAsync(alice, "Alice's secret project");

        var listed = await mallory.GetStringAsync("/api/webhooks", ct);
        var deleted = await mallory.DeleteAsync($"/api/webhooks/{subscription.Id}", ct);
        var inbound = await mallory.PostAsJsonAsync("/api/webhooks/inbound", new { projectId = project.Id, action = "approve" }, ct);

        Assert.Equal("[]", listed);
        Assert.Equal(HttpStatusCode.NotFound, deleted.StatusCode);
        Assert.DoesNotContain("alice", await deleted.Content.ReadAsStringAsync(ct), StringComparison.OrdinalIgnoreCase);
        Assert.Equal(HttpStatusCode.NotFound, inbound.StatusCode);
        Assert.DoesNotContain("secret", await inbound.Content.ReadAsStringAsync(ct), StringComparison.OrdinalIgnoreCase);
        Assert.Single((await alice.GetFromJsonAsync<List<WebhookSubscriptionView>>("/api/webhooks", ct))!);
        Assert.Equal(HttpStatusCode.NoContent, (await alice.DeleteAsync($"/api/webhooks/{subscription.Id}", ct)).StatusCode);
        Assert.Empty((await alice.GetFromJsonAsync<List<WebhookSubscriptionView>>("/api/webhooks", ct))!);
    }

    [Fact]
    public async Task The_inbound_endpoint_reaches_the_company_and_refuses_bad_actions_with_problem_details()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var host = new WebHostFactory();
        var alice = host.ClientFor("alice");
        var project = await WebHostFactory.SubmitAsync(alice);

        var unknown = await alice.PostAsJsonAsync("/api/webhooks/inbound", new { projectId = project.Id, action = "delete-everything" }, ct);
        var noText = await alice.PostAsJsonAsync("/api/webhooks/inbound", new { projectId = project.Id, action = "answer" }, ct);
        var notAsked = await alice.PostAsJsonAsync("/api/webhooks/inbound", new { projectId = project.Id, action = "approve", text = "ship it" }, ct);

        Assert.Equal(HttpStatusCode.BadRequest, unknown.StatusCode);
        Assert.Equal("application/problem+json", unknown.Content.Headers.ContentType?.MediaType);
        Assert.Equal(HttpStatusCode.BadRequest, noText.StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, notAsked.StatusCode); // nothing waits for approval: the company refused it
        var after = await alice.GetFromJsonAsync<ProjectView>($"/api/projects/{project.Id}", ct);
        Assert.Equal(project.Version, after!.Version);
    }

    [Fact]
    public async Task Bad_subscriptions_are_refused_with_a_reason_and_none_is_stored()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var host = new WebHostFactory(settings: new Dictionary<string, string?> { ["VirtualItCompany:Webhooks:AllowHttp"] = "false", ["VirtualItCompany:Webhooks:MaxSubscriptionsPerClient"] = "1" });
        var alice = host.ClientFor("alice");

        var http = await alice.PostAsJsonAsync("/api/webhooks", new { url = "http://127.0.0.1/hook" }, ct);
        var relative = await alice.PostAsJsonAsync("/api/webhooks", new { url = "/hook" }, ct);
        var withPassword = await alice.PostAsJsonAsync("/api/webhooks", new { url = "https://user:pw@example.com/hook" }, ct);
        var unknownEvent = await alice.PostAsJsonAsync("/api/webhooks", new { url = "https://example.com/hook", events = new[] { "everything" } }, ct);
        Assert.Empty((await alice.GetFromJsonAsync<List<WebhookSubscriptionView>>("/api/webhooks", ct))!);
        var first = await alice.PostAsJsonAsync("/api/webhooks", new { url = "https://example.com/hook" }, ct);
        var second = await alice.PostAsJsonAsync("/api/webhooks", new { url = "https://example.com/other" }, ct);

        Assert.Equal(HttpStatusCode.BadRequest, http.StatusCode);
        Assert.Contains("https", await http.Content.ReadAsStringAsync(ct), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.BadRequest, relative.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, withPassword.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, unknownEvent.StatusCode);
        Assert.Contains("stageChanged", await unknownEvent.Content.ReadAsStringAsync(ct), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Created, first.StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, second.StatusCode);
        Assert.Single((await alice.GetFromJsonAsync<List<WebhookSubscriptionView>>("/api/webhooks", ct))!);
    }

    internal static async Task<WebhookSubscriptionView> SubscribeAsync(HttpClient client, Uri url, string[]? events = null)
    {
        var response = await client.PostAsJsonAsync("/api/webhooks", new { url = url.ToString(), events }, TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var view = (await response.Content.ReadFromJsonAsync<WebhookSubscriptionView>(TestContext.Current.CancellationToken))!;
        Assert.StartsWith("whsec_", view.Secret, StringComparison.Ordinal);
        return view;
    }

    private static Task<T> WaitForAsync<T>(Func<T?> probe, CancellationToken cancellationToken)
        where T : class => WaitForAsync(() => Task.FromResult(probe()), cancellationToken);

    private static async Task<T> WaitForAsync<T>(Func<Task<T?>> probe, CancellationToken cancellationToken)
        where T : class
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(Patience);
        while (true)
        {
            if (await probe() is { } found)
            {
                return found;
            }

            try
            {
                await Task.Delay(50, timeout.Token);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                Assert.Fail($"Not seen within {Patience}.");
            }
        }
    }
}
