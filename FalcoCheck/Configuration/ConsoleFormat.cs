namespace FalcoCheck.Configuration;

internal enum ConsoleFormat
{
    Table,
    Json,
}
