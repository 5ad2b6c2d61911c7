fn main() -> std::process::ExitCode {
    eazybackup::cli::main()
}
