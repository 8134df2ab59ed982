Console.WriteLine("usage: dotnet run -c Release --project bench/Runtime.Bench -- <scenario>");
return 0;
