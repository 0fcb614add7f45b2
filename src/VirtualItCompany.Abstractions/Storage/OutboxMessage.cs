namespace VirtualItCompany;

/// <summary>A message for a delivery that lives outside the store (a Redis stream fed from PostgreSQL, a webhook), committed with the change that causes it.</summary>
/// <param name="Topic">Who delivers it, such as <c>work</c> or <c>webhooks</c>; not empty.</param>
/// <param name="Key">What it is about, such as a work item's id; deliverers use it to drop duplicates.</param>
/// <param name="Payload">The message, opaque to the store (usually JSON).</param>
public sealed record OutboxMessage(string Topic, string Key, string Payload);
