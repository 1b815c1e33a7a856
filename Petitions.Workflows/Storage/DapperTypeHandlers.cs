using System.Data;
using System.Globalization;
using Dapper;

namespace Petitions.Workflows.Storage;

/// <summary>
/// The date types differ by database: PostgreSQL returns <c>timestamptz</c> as a UTC DateTime, SQL Server returns
/// DateTimeOffset, SQLite returns text; these handlers read all three. Dapper writes DateTimeOffset parameters
/// itself, without asking a handler, so instants must be UTC where they are made (TimeProvider.GetUtcNow, or
/// ToUniversalTime on input). Dates are written as SQL dates (SQLite: yyyy-MM-dd text).
/// </summary>
internal static class DapperTypeHandlers
{
    private static int _registered;

    public static void Register()
    {
        if (Interlocked.Exchange(ref _registered, 1) == 1) return;
        SqlMapper.AddTypeHandler(new InstantHandler());
        SqlMapper.AddTypeHandler(new DateHandler());
        // Dapper leaves a date parameter's type to the provider, which cannot tell it when the date is null: Npgsql then
        // runs a statement prepared with a date unprepared, parsed and planned afresh, each time a null takes its place.
        SqlMapper.AddTypeMap(typeof(DateOnly), DbType.Date);
        SqlMapper.AddTypeMap(typeof(DateOnly?), DbType.Date);
    }

    private sealed class InstantHandler : SqlMapper.TypeHandler<DateTimeOffset>
    {
        public override void SetValue(IDbDataParameter parameter, DateTimeOffset value) => parameter.Value = value;

        public override DateTimeOffset Parse(object value) => value switch
        {
            DateTimeOffset instant => instant,
            DateTime utc => new DateTimeOffset(DateTime.SpecifyKind(utc, DateTimeKind.Utc)),
            string text => DateTimeOffset.Parse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal),
            _ => throw new DataException($"Cannot read a {value.GetType().Name} as an instant."),
        };
    }

    private sealed class DateHandler : SqlMapper.TypeHandler<DateOnly>
    {
        public override void SetValue(IDbDataParameter parameter, DateOnly value)
        {
            parameter.DbType = DbType.Date;
            parameter.Value = value.ToDateTime(TimeOnly.MinValue);
        }

        public override DateOnly Parse(object value) => value switch
        {
            DateOnly date => date,
            DateTime dateTime => DateOnly.FromDateTime(dateTime),
            string text => DateOnly.ParseExact(text.AsSpan(0, 10), "yyyy-MM-dd", CultureInfo.InvariantCulture),
            _ => throw new DataException($"Cannot read a {value.GetType().Name} as a date."),
        };
    }
}
