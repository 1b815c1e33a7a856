using Petitions.Api.Hosting;

// `dotnet run --project Petitions.Api` serves; `-- migrate` migrates and exits; `-- reencrypt` moves personal data
// encrypted with a retired key to the current one (after a key rotation, see README) and exits.
var migrateOnly = args.Contains("migrate");
var reencrypt = args.Contains("reencrypt");
// Reloading configuration on change watches the content root recursively, and the SQLite files under data/
// change on every commit: that watcher cost ~17% of the CPU of a registration. Configuration changes take a restart.
var builder = WebApplication.CreateBuilder([.. args.Where(a => a is not ("migrate" or "reencrypt")), "--hostBuilder:reloadConfigOnChange=false"]);
builder.AddPetitions();

await using var app = builder.Build(); // disposing flushes the logs, also after `migrate`
app.UsePetitions();
await app.PrepareDatabaseAsync(migrateOnly || reencrypt);
if (reencrypt) await app.ReencryptAsync();
else if (!migrateOnly) await app.RunAsync();
