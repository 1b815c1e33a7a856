using Petitions.Api.Hosting;

// `dotnet run --project Petitions.Api` serves; `dotnet run --project Petitions.Api -- migrate` migrates and exits.
var migrateOnly = args.Contains("migrate");
// Reloading configuration on change watches the content root recursively, and the SQLite files under data/
// change on every commit: that watcher cost ~17% of the CPU of a registration. Configuration changes take a restart.
var builder = WebApplication.CreateBuilder([.. args.Where(a => a != "migrate"), "--hostBuilder:reloadConfigOnChange=false"]);
builder.AddPetitions();

await using var app = builder.Build(); // disposing flushes the logs, also after `migrate`
app.UsePetitions();
await app.PrepareDatabaseAsync(migrateOnly);
if (!migrateOnly) await app.RunAsync();
