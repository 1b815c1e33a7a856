using Petitions.Api.Hosting;

// `dotnet run --project Petitions.Api` serves; `dotnet run --project Petitions.Api -- migrate` migrates and exits.
var migrateOnly = args.Contains("migrate");
var builder = WebApplication.CreateBuilder(args.Where(a => a != "migrate").ToArray());
builder.AddPetitions();

var app = builder.Build();
app.UsePetitions();
await app.PrepareDatabaseAsync(migrateOnly);
if (!migrateOnly) await app.RunAsync();
