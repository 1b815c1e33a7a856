using System.Collections;
using System.Data;
using System.Data.Common;
using System.Runtime.CompilerServices;
using Dapper;

namespace Petitions.Workflows.Storage;

/// <summary>
/// The unit of work of one request: one connection, and for commands one transaction that the transaction
/// behaviour begins and ends. Handlers run their SQL through it so every statement joins that transaction.
/// </summary>
public sealed class DbSession(Database database) : IAsyncDisposable
{
    private DbConnection? _connection;
    private DbTransaction? _transaction;
    private IDisposable? _writeLock;
    private IDisposable? _workSlot;
    private readonly List<Func<CancellationToken, Task>> _afterRollback = [];
    private readonly List<Func<CancellationToken, Task>> _beforeCommit = [];
    private readonly List<Action> _afterCommit = [];
    private readonly PendingWrites _pending = new();

    public SqlDialect Dialect => database.Dialect;
    public bool InTransaction => _transaction is not null;

    public async Task BeginAsync(CancellationToken ct)
    {
        if (_transaction is not null) throw new InvalidOperationException("A transaction is already open.");
        var connection = await ConnectionAsync(ct); // opened before queueing, so the queue holds only the work
        _writeLock = await database.Dialect.EnterWriteAsync(ct);
        try
        {
            _transaction = await connection.BeginTransactionAsync(ct);
        }
        catch
        {
            ReleaseWriteLock();
            throw;
        }
        // Sent with the transaction's first statement, not on a round trip of its own.
        if (Dialect.TransactionSettings is { } settings) _pending.Add(settings, null);
    }

    public async Task CommitAsync(CancellationToken ct)
    {
        var transaction = _transaction ?? throw new InvalidOperationException("No transaction is open.");
        // Still inside the transaction: a failure here leaves it open for the caller's rollback.
        foreach (var work in _beforeCommit) await work(ct);
        // Where the writes still held may carry the COMMIT, they do (one round trip); where one fails, the server skips
        // the rest, COMMIT included, and the transaction stays open for the caller's rollback.
        var withWrites = Dialect.CommitsWithHeldWrites && !_pending.IsEmpty;
        if (withWrites) _pending.Add("COMMIT", null);
        // Not cancellable once it carries the COMMIT: once the work is done, a commit must not be abandoned half way.
        await FlushAsync(withWrites ? CancellationToken.None : ct);
        try
        {
            if (!withWrites) await transaction.CommitAsync(CancellationToken.None);
        }
        finally
        {
            await EndTransactionAsync();
        }
        _afterRollback.Clear();
        var committed = _afterCommit.ToArray();
        _afterCommit.Clear();
        foreach (var work in committed) work();
    }

    public async Task RollbackAsync()
    {
        _afterCommit.Clear();
        if (_transaction is not null)
        {
            try
            {
                await _transaction.RollbackAsync(CancellationToken.None);
            }
            catch (Exception) when (_connection is not null)
            {
                // The connection broke (the driver disposed the transaction), or the server ended the transaction
                // itself by refusing a COMMIT sent with held writes. The server drops uncommitted work with the
                // connection, so discard it rather than hide the error that brought us here.
                await _connection.DisposeAsync();
                _connection = null;
            }
            finally
            {
                await EndTransactionAsync();
            }
        }
        var deferred = _afterRollback.ToArray();
        _afterRollback.Clear();
        foreach (var work in deferred)
        {
            await BeginAsync(CancellationToken.None);
            try
            {
                await work(CancellationToken.None);
                await CommitAsync(CancellationToken.None);
            }
            catch
            {
                await RollbackAsync();
                throw;
            }
        }
    }

    /// <summary>Work to do last in the current transaction, just before it commits (the report counters).</summary>
    public void BeforeCommit(Func<CancellationToken, Task> work)
    {
        if (_transaction is null) throw new InvalidOperationException("No transaction is open.");
        _beforeCommit.Add(work);
    }

    /// <summary>Work to do once the current transaction has committed, or at once outside one: what other requests may
    /// read only after the change is there to see (a cache entry kept, or forgotten).</summary>
    public void AfterCommit(Action work)
    {
        if (_transaction is null) work();
        else _afterCommit.Add(work);
    }

    /// <summary>Work to do in a transaction of its own if the current one rolls back (a failure's audit entry).</summary>
    public void AfterRollback(Func<CancellationToken, Task> work) => _afterRollback.Add(work);

    /// <summary>A statement whose count of rows changed the caller reads; writes held back are sent before it, apart.</summary>
    public async Task<int> ExecuteAsync(string sql, object? parameters, CancellationToken ct,
        [CallerFilePath] string file = "", [CallerLineNumber] int line = 0) =>
        await (await ConnectionAsync(ct)).ExecuteAsync(await CommandAsync(sql, parameters, joinsPending: false, ct, file, line));

    /// <summary>
    /// A write whose result nothing reads (a history entry, a clock, an audit entry, the report counters). Inside a
    /// transaction on a database that takes several statements in one round trip (<see cref="SqlDialect.BatchesWrites"/>)
    /// it is held back and sent with the session's next query, or before the commit: where it fails, that statement
    /// fails, and with it the transaction. Otherwise it runs at once. A list runs the statement once for each item.
    /// </summary>
    public async Task WriteAsync(string sql, object? parameters, CancellationToken ct,
        [CallerFilePath] string file = "", [CallerLineNumber] int line = 0)
    {
        if (_transaction is null || !Dialect.BatchesWrites)
        {
            await ExecuteAsync(sql, parameters, ct, file, line);
            return;
        }
        foreach (var item in PendingWrites.IsList(parameters) ? ((IEnumerable)parameters!).Cast<object?>() : [parameters])
        {
            if (_pending.ParameterCount + PendingWrites.Count(item) > Dialect.MaxParameters) await FlushAsync(ct);
            _pending.Add(Observer?.Issuing(database.Dialect, sql, item, InTransaction, file, line) ?? sql, item);
        }
    }

    public async Task<T?> ScalarAsync<T>(string sql, object? parameters, CancellationToken ct,
        [CallerFilePath] string file = "", [CallerLineNumber] int line = 0) =>
        await (await ConnectionAsync(ct)).ExecuteScalarAsync<T>(await CommandAsync(sql, parameters, joinsPending: true, ct, file, line));

    public async Task<IReadOnlyList<T>> QueryAsync<T>(string sql, object? parameters, CancellationToken ct,
        [CallerFilePath] string file = "", [CallerLineNumber] int line = 0) =>
        (await (await ConnectionAsync(ct)).QueryAsync<T>(await CommandAsync(sql, parameters, joinsPending: true, ct, file, line))).AsList();

    /// <summary>Rows mapped to two objects split at a column (a petition and each of its clocks).</summary>
    public async Task<IReadOnlyList<TResult>> QueryAsync<T1, T2, TResult>(string sql, object? parameters, Func<T1, T2, TResult> map, string splitOn, CancellationToken ct,
        [CallerFilePath] string file = "", [CallerLineNumber] int line = 0) =>
        (await (await ConnectionAsync(ct)).QueryAsync(await CommandAsync(sql, parameters, joinsPending: true, ct, file, line), map, splitOn)).AsList();

    /// <summary>Several result sets of one round trip; the caller reads and disposes them.</summary>
    public async Task<SqlMapper.GridReader> QueryMultipleAsync(string sql, object? parameters, CancellationToken ct,
        [CallerFilePath] string file = "", [CallerLineNumber] int line = 0) =>
        await (await ConnectionAsync(ct)).QueryMultipleAsync(await CommandAsync(sql, parameters, joinsPending: false, ct, file, line));

    /// <summary>
    /// Inserts rows with multi-row <c>INSERT … VALUES</c> statements: one round trip per
    /// <see cref="SqlDialect.MaxParameters"/> values instead of one per row. <paramref name="sql"/> is the
    /// <c>INSERT INTO table (columns)</c> part; each row gives one value per column, in order.
    /// </summary>
    public async Task InsertRowsAsync(string sql, IReadOnlyList<object?[]> rows, CancellationToken ct,
        [CallerFilePath] string file = "", [CallerLineNumber] int line = 0)
    {
        if (rows.Count == 0) return;
        var perStatement = Math.Max(1, Dialect.MaxParameters / rows[0].Length);
        foreach (var chunk in rows.Chunk(perStatement))
        {
            var (values, parameters) = SqlValues.Of(chunk);
            await ExecuteAsync($"{sql}\nVALUES {values}", parameters, ct, file, line);
        }
    }

    public async Task<T?> QuerySingleOrDefaultAsync<T>(string sql, object? parameters, CancellationToken ct,
        [CallerFilePath] string file = "", [CallerLineNumber] int line = 0) =>
        await (await ConnectionAsync(ct)).QuerySingleOrDefaultAsync<T>(await CommandAsync(sql, parameters, joinsPending: true, ct, file, line));

    /// <summary>A reader over the rows, for columns read as streams (a material's chunk into the caller's buffer); the
    /// caller disposes it.</summary>
    public async Task<DbDataReader> ExecuteReaderAsync(string sql, object? parameters, CommandBehavior behavior, CancellationToken ct,
        [CallerFilePath] string file = "", [CallerLineNumber] int line = 0) =>
        await (await ConnectionAsync(ct)).ExecuteReaderAsync(await CommandAsync(sql, parameters, joinsPending: false, ct, file, line), behavior);

    /// <summary>The open transaction: which unit of work a change belongs to (the report counters).</summary>
    public DbTransaction? Transaction => _transaction;

    /// <summary>
    /// Sees every statement before it runs, with the call site that issued it: the tests' SQL Server proof
    /// (docs/decisions/0012) re-renders each for SQL Server. Never set in the service, where it costs one null check.
    /// </summary>
    public static IStatementObserver? Observer { get; set; }

    public async ValueTask DisposeAsync()
    {
        try
        {
            if (_transaction is not null) await RollbackAsync();
            if (_connection is not null) await _connection.DisposeAsync();
            _connection = null;
        }
        finally
        {
            _workSlot?.Dispose();
            _workSlot = null;
        }
    }

    /// <summary>The command for a statement: after the writes held back when it <paramref name="joinsPending"/> (a query,
    /// whose rows the readers find past the writes', which return none) and their parameters fit; else alone, once those
    /// writes are sent.</summary>
    private async ValueTask<CommandDefinition> CommandAsync(string sql, object? parameters, bool joinsPending, CancellationToken ct, string file, int line)
    {
        var text = Observer?.Issuing(database.Dialect, sql, parameters, InTransaction, file, line) ?? sql;
        if (!_pending.IsEmpty)
        {
            if (joinsPending && !PendingWrites.IsList(parameters) && _pending.ParameterCount + PendingWrites.Count(parameters) <= Dialect.MaxParameters)
            {
                var (joined, all) = _pending.Before(text, parameters);
                return new CommandDefinition(joined, all, _transaction, cancellationToken: ct);
            }
            await FlushAsync(ct);
        }
        return new CommandDefinition(text, parameters, _transaction, cancellationToken: ct);
    }

    /// <summary>Sends the writes held back, if any, in one command.</summary>
    private async Task FlushAsync(CancellationToken ct)
    {
        if (_pending.IsEmpty) return;
        var (text, parameters) = _pending.Alone();
        await (await ConnectionAsync(ct)).ExecuteAsync(new CommandDefinition(text, parameters, _transaction, cancellationToken: ct));
    }

    /// <summary>The session's connection, opened on first use once the session has a slot of <see cref="DatabaseWork"/>.
    /// A database that refuses for lack of capacity is reported as <see cref="DatabaseBusyException"/>.</summary>
    private async ValueTask<DbConnection> ConnectionAsync(CancellationToken ct)
    {
        if (_connection is not null) return _connection;
        _workSlot ??= await database.Work.EnterAsync(ct);
        try
        {
            return _connection = await database.OpenAsync(ct);
        }
        catch (Exception e) when (database.Dialect.IsOverloaded(e))
        {
            throw new DatabaseBusyException("database", e);
        }
    }

    private async Task EndTransactionAsync()
    {
        if (_transaction is not null) await _transaction.DisposeAsync();
        _transaction = null;
        _beforeCommit.Clear();
        _pending.Clear();
        ReleaseWriteLock();
    }

    private void ReleaseWriteLock()
    {
        _writeLock?.Dispose();
        _writeLock = null;
    }
}

/// <summary>Sees the statements sessions issue (tests only; see <see cref="DbSession.Observer"/>).</summary>
public interface IStatementObserver
{
    /// <summary>The dialect a new <see cref="Database"/> uses, given the one its provider names.</summary>
    SqlDialect Dialect(SqlDialect provider);

    /// <summary>Returns the text to run for a statement about to run; <paramref name="file"/> and
    /// <paramref name="line"/> name the call that issued it.</summary>
    string Issuing(SqlDialect dialect, string sql, object? parameters, bool inTransaction, string file, int line);
}
